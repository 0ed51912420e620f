"""The 20 December peak of a city (`bench/load/city.py`): principals submit, reviewers review.

A principal opens the start page, the school page and the semester-1 periodic report, then submits
it (POST, the real view and service) and hands over to the next principal whose report is still a
draft: the stream of people sending their report on the last day. A reviewer of a ward moves
between the unit's dashboard and the review queue and takes the unit's submitted reports one by one:
opens one, starts its review and accepts it (two POSTs). Users are bound to the two nodes in turn.
People read before they click: 5-15 s between actions.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

WORK = json.load(open(os.environ["CITY_WORK"])) if os.environ.get("CITY_WORK") else {"principals": [], "reviewers": []}
HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
CSRF = "benchcitycsrfsecret0123456789abc"  # a 32-character secret: the cookie and the form field carry it
_principals = iter(WORK["principals"])
_reviewers = itertools.cycle(WORK["reviewers"] or [None])
_nodes = itertools.count()


class CityUser(HttpUser):
    abstract = True
    wait_time = between(5, 15)

    def _bind(self, session: str) -> None:
        if HOSTS:
            self.client.base_url = HOSTS[next(_nodes) % len(HOSTS)]
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", session)
        self.client.cookies.set("csrftoken", CSRF)

    def _post(self, path: str, name: str, data: dict | None = None):
        with self.client.post(path, {"csrfmiddlewaretoken": CSRF, **(data or {})}, name=name, catch_response=True,
                              allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code} instead of a redirect")


class Principal(CityUser):
    weight = 8

    def on_start(self):
        self._next()

    def _next(self) -> None:
        self.work = next(_principals, None)
        if self.work is not None:
            self._bind(self.work["session"])

    @task(3)
    def home(self):
        if self.work:
            self.client.get("/", name="home (principal)")

    @task(2)
    def school_page(self):
        if self.work:
            self.client.get("/school/", name="school page")

    @task(3)
    def periodic_page(self):
        if self.work:
            self.client.get(self.work["page"], name="periodic report page")

    @task(1)
    def submit(self):
        if not self.work:
            return
        self._post(f"/evaluations/periodic/{self.work['report']}/submit/", "POST periodic submit")
        self.client.get(self.work["page"], name="periodic report page")
        self._next()


class Reviewer(CityUser):
    weight = 2

    def on_start(self):
        self.work = next(_reviewers)
        self.reports = list(self.work["reports"]) if self.work else []
        random.shuffle(self.reports)
        if self.work:
            self._bind(self.work["session"])

    @task(2)
    def dashboard(self):
        if self.work:
            self.client.get("/review/district/", name="unit dashboard")

    @task(2)
    def queue(self):
        if self.work:
            self.client.get("/review/", name="review queue")

    @task(3)
    def review_one(self):
        if not self.reports:
            return
        item = self.reports.pop()
        self.client.get(item["page"], name="periodic report page (reviewer)")
        self._post(f"/evaluations/periodic/{item['report']}/review/", "POST periodic start review")
        self._post(f"/evaluations/periodic/{item['report']}/accept/", "POST periodic accept", {"note": ""})
