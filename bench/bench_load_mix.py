"""Benchmark: the load test's page mix, page by page (server time and queries, one request at a time).

    .venv/bin/python bench/bench_load_mix.py      # PostgreSQL database kd_bench_load when reachable

Walks the pages a simulated user of ``bench/load/locustfile.py`` reaches (each role's start pages,
then the links found on them, as locust's users follow them), times each page through Django's
test client, and prints the slowest pages and the mean server time of one request of the mix,
weighted as the locust users pick them (roles 6:3:1, start pages 3 against links 5). That mean,
times the requests per second of the load test, is the CPU the workers need: on 2 cores, with
locust beside them, it must stay well under 2,000 ms/s for the p95 target to hold.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import login, measure, report, setup  # noqa: E402

os.environ.pop("LOAD_SESSIONS", None)
_spec = importlib.util.spec_from_file_location("locustfile", ROOT / "bench" / "load" / "locustfile.py")
try:
    locustfile = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(locustfile)
except ImportError:  # locust not installed: `make bench` installs it
    raise SystemExit("bench_load_mix needs locust (pip install -r bench/load/requirements.txt)") from None

ROLES = [locustfile.Principal, locustfile.Reviewer, locustfile.Officer]
START_WEIGHT, LINK_WEIGHT = 3, 5
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def links_of(html: str) -> list[str]:
    found = []
    for link in locustfile.LINK.findall(html):
        if not any(part in link for part in locustfile.SKIP) and link not in found:
            found.append(link)
    return found[:60]


def main() -> None:
    client = setup("kd_bench_load")
    from django.core.management import call_command

    from schools.models import User

    if not User.objects.filter(username="cv.dongda1").exists():
        call_command("load_standards", verbosity=0)
        call_command("seed_demo", "--quiet-accounts", "--allow-without-debug")
    baseline = measure(client, "/healthz", runs=30)
    weighted = defaultdict(float)  # (account, path) -> share of all requests
    results: dict[tuple[str, str], dict] = {}
    total_role_weight = sum(role.weight for role in ROLES)
    for role in ROLES:
        account = role.accounts[0]
        login(client, account)
        links = links_of(client.get("/").content.decode())
        for path in role.start_paths:
            links += [link for link in links_of(client.get(path).content.decode()) if link not in links]
        links = links[:60]
        share = role.weight / total_role_weight
        pages = [(p, START_WEIGHT / len(role.start_paths)) for p in role.start_paths]
        pages += [(p, LINK_WEIGHT / len(links)) for p in links]
        for path, weight in pages:
            response = client.get(path)
            if response.status_code == 302:  # "/" sends each role to its start page: locust follows it
                path = response["Location"]
                response = client.get(path)
            key = (account, path)
            name = f"{role.__name__}: {re.sub(r'/[0-9]+', '/<id>', path)}"
            if key not in results:
                if response.status_code != 200:
                    print(f"  skipped {path} ({response.status_code})")
                    continue
                results[key] = {**measure(client, path, runs=RUNS, warmup=1), "name": name}
            weighted[key] += share * weight / (START_WEIGHT + LINK_WEIGHT)
        client.logout()
    total_share = sum(weighted.values())
    mean = sum(results[k]["median_ms"] * w for k, w in weighted.items() if k in results) / total_share
    cost = sorted(results, key=lambda k: -results[k]["median_ms"] * weighted[k])
    print(f"load mix: {len(results)} pages; mean server time of one request {mean:.1f} ms "
          f"(at 25 req/s that is {mean * 25 / 1000:.2f} cores) | /healthz baseline median {baseline['median_ms']:.2f} ms")
    for key in cost[:int(os.environ.get("BENCH_SHOW", "15"))]:
        r = results[key]
        print(f"  {weighted[key] / total_share:5.1%} of requests, {r['median_ms']:6.1f} ms, {r['queries']:3d} queries  {r['name']}")
    report("slowest page of the mix", max(results.values(), key=lambda r: r["median_ms"]), baseline)


if __name__ == "__main__":
    main()
