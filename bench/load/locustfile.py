"""Realistic page mixes of the three kinds of users, for `bench/load/run.py`.

Each simulated user logs in through the real login form with a demo account, then browses the
pages of their role; besides a fixed mix, they follow links found on their start page (reports,
schools, criteria), as a person clicking around would. Only GET pages are exercised: the load test
measures reading, which is what a district full of principals does most.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

SESSIONS = json.load(open(os.environ["LOAD_SESSIONS"])) if os.environ.get("LOAD_SESSIONS") else {}
PASSWORD = "Demo@2024kd"  # noqa: S105  the published demo password
LINK = re.compile(r'href="(/(?:reports|review|evidence|evaluations|schools|standards|school|notifications)[^"#?]*)"')
SKIP = ("download", "export", "/edit", "/new", "/delete", "/import", ".xlsx", ".pdf", ".docx", "/logout")


class Browsing(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: list[str] = []
    start_paths: list[str] = []

    def on_start(self):
        self.links: list[str] = []
        username = random.choice(self.accounts)
        if SESSIONS.get(username):
            # Signed in before the measured minute (see bench/load/run.py).
            self.client.cookies.set("sessionid", SESSIONS[username])
            self._collect(self.client.get("/", name="home").text)
            return
        page = self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )
        home = self.client.get("/", name="home")
        self._collect(home.text)

    def _collect(self, html: str) -> None:
        for link in LINK.findall(html or ""):
            if not any(part in link for part in SKIP) and link not in self.links:
                self.links.append(link)
        del self.links[60:]

    @task(3)
    def start_pages(self):
        path = random.choice(self.start_paths)
        response = self.client.get(path, name=path)
        self._collect(response.text)

    @task(5)
    def follow_a_link(self):
        if not self.links:
            return
        path = random.choice(self.links)
        name = re.sub(r"/\d+", "/<id>", path)
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code in (403, 404):
                # A link shown to this role must open for it: count it as an error.
                response.failure(f"{response.status_code} on a link shown to the user")
            else:
                self._collect(response.text)


class Principal(Browsing):
    weight = 6
    accounts = [f"dda-{level}-0{n}" for level, count in (("mn", 6), ("th", 4), ("thcs", 9)) for n in range(1, min(count, 9) + 1)]
    start_paths = ["/", "/school/", "/standards/", "/notifications/"]


class Reviewer(Browsing):
    weight = 3
    accounts = ["cv.dongda1", "cv.dongda2", "tp.dongda", "cv.longbien1"]
    start_paths = ["/", "/review/district/", "/review/", "/schools/", "/standards/"]


class Officer(Browsing):
    weight = 1
    accounts = ["cv.so"]
    start_paths = ["/", "/review/department/", "/schools/", "/evaluations/certificates/"]
