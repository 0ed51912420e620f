"""Benchmark: a whole city on one installation (issue 19, item 5).

    .venv/bin/python -m bench.bench_city [--keep] [--no-load] [--users 300] [--seconds 120]

Builds, in a dedicated PostgreSQL database (``kiemdinh_bench_city`` on DATABASE_URL's server, by
default 127.0.0.1:5432), a city of 3,000 schools × 5 school years in 126 reviewing units under one
Sở: the current year under TT57/2026, the four before it under the 2018 regulations (TT17/18/19), a
report per school and year with a level per criterion, its review state, frozen versions, the unit's
reviewer assigned, open comment threads, the semester-1 periodic report of 20 December (the peak)
in every state, certificates for a third of the schools, and for every school an evidence library
of the demo's size (``evidence.demo_catalog``: the items of each criterion of the school's level,
a file for every third item, as ``evidence.demo`` seeds them). Rows are written in bulk; this is
read-side data, the statuses are test data.

Then it prints the median and p95 server time and the query count (in-process test client) of the
Sở overview, a unit's dashboard, the review queue, the district summary XLSX and the dashboard XLSX,
each beside ``/healthz`` of the same run (the Sở overview also on the first request after a TT57 report
changed and with its cache empty); checks that a small and a big unit cost the same number of
queries; flags a page over 150 ms (a spreadsheet over 2 s). Last, the December peak: two gunicorn
nodes (two ports, one database) and locust with 300 users submitting and reviewing
(``bench/load/city.py``). The database is dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHOOLS = 3000
UNITS = 126
YEARS = 5
DB_NAME = "kiemdinh_bench_city"
PAGE_BUDGET_MS = 150
SHEET_BUDGET_S = 2.0
PASSWORD = "Demo@2024kd"  # noqa: S105  the published demo password (benchmark accounts only)
DEPARTMENT_CODE = "so-bench-city"
OFFICER = "cv.so.city"
# The current year on 20 December: spread over the workflow; earlier years are done.
CURRENT_STATUSES = {"draft": 20, "submitted": 20, "in_review": 20, "returned": 10, "resubmitted": 5,
                    "accepted": 20, "forwarded": 5}
PAST_STATUSES = {"accepted": 15, "forwarded": 25, "closed": 60}
# The semester-1 periodic report (due 20/12) on the morning of the 20th.
PERIODIC_STATUSES = {"draft": 35, "submitted": 30, "in_review": 15, "accepted": 15, "returned": 5}


def city_database_url() -> str:
    """The bench database on DATABASE_URL's PostgreSQL server (127.0.0.1:5432 by default)."""
    raw = os.environ.get("DATABASE_URL", "")
    if raw.startswith(("postgres://", "postgresql://")):
        parts = urllib.parse.urlsplit(raw)
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + DB_NAME, "", ""))
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def _psql(url: str, sql: str) -> subprocess.CompletedProcess:
    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    return subprocess.run(["psql", admin, "-qc", sql], capture_output=True, text=True)


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def unit_sizes(rng: random.Random) -> list[int]:
    """126 units of different sizes adding up to 3,000: a small ward (6 schools), a big cluster
    (130, over the in-request spreadsheet limit of 100) and 124 wards around the mean of ~23."""
    rest = [rng.randint(12, 34) for _ in range(UNITS - 2)]
    target = SCHOOLS - 6 - 130
    while sum(rest) != target:
        i = rng.randrange(len(rest))
        rest[i] += 1 if sum(rest) < target else -1
        rest[i] = max(8, rest[i])
    return [6, 130, *rest]


def build() -> dict:
    """Write the city in bulk; return what the measurements need."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from evaluations.certification import earliest_upgrade_date, valid_until
    from evaluations.models import Certificate, PeriodicReport, ReportingDeadline
    from reviews.models import CommentThread, ReportVersion, ReviewAssignment, ReviewState, canonical_json, content_hash
    from schools.models import Membership, Organisation, School, SchoolYear, User
    from schools.years import first_year_on
    from selfassessment.models import CriterionAssessment, Report
    from standards.models import Criterion, Regulation
    from standards.selectors import regulation_for
    from standards.services import DATA_DIR, catalogs_load

    rng = random.Random(2026)
    started = time.perf_counter()
    if not Regulation.objects.exists():
        catalogs_load(paths=sorted(DATA_DIR.glob("*.json")))
    current_first = first_year_on()
    years = []
    for first in range(current_first - YEARS + 1, current_first + 1):
        year, _ = SchoolYear.objects.get_or_create(
            code=SchoolYear.code_for(first),
            defaults={"start_date": datetime.date(first, 9, 5), "end_date": datetime.date(first + 1, 5, 31)})
        years.append(year)
    current = years[-1]
    password = make_password(PASSWORD)  # one hash for every account: PBKDF2 per user would take an hour
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        department = Organisation.objects.create(code=DEPARTMENT_CODE, name="Sở Giáo dục và Đào tạo Thành phố",
                                                 short_name="Sở GD&ĐT Thành phố", kind=Organisation.Kind.DEPARTMENT)
        sizes = unit_sizes(rng)
        units = Organisation.objects.bulk_create([
            Organisation(code=f"city-u{i:03d}", name=f"Ủy ban nhân dân phường Thử nghiệm {i}",
                         short_name=f"UBND phường TN {i}", kind=Organisation.Kind.WARD_COMMITTEE, parent=department)
            for i in range(1, UNITS + 1)
        ])
        levels = ["mn", "th", "thcs"]
        level_names = dict(School.Level.choices)
        schools = []
        for unit_index, (unit, size) in enumerate(zip(units, sizes, strict=True)):
            for n in range(1, size + 1):
                level = levels[(n + unit_index) % 3]
                schools.append(School(
                    code=f"C{unit_index + 1:03d}-{level.upper()}-{n:03d}", name=f"Trường {level_names[level]} số {n} phường {unit_index + 1}",
                    level=level, reviewing_unit=unit, founding_year=1960 + n % 60, ward=f"Phường TN {unit_index + 1}",
                    ownership="public" if n % 9 else "private"))
        School.objects.bulk_create(schools, batch_size=1000)
        users, memberships = [], []
        for school in schools:
            users.append(User(username=school.code.lower(), full_name=f"Hiệu trưởng {school.code}", password=password))
        for i in range(1, UNITS + 1):
            users += [User(username=f"cv.city{i}a", full_name=f"Chuyên viên A phường {i}", password=password),
                      User(username=f"cv.city{i}b", full_name=f"Chuyên viên B phường {i}", password=password),
                      User(username=f"tp.city{i}", full_name=f"Trưởng phòng phường {i}", password=password)]
        users.append(User(username=OFFICER, full_name="Chuyên viên Sở (thử nghiệm)", password=password))
        User.objects.bulk_create(users, batch_size=1000)
        by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
        for school in schools:
            memberships.append(Membership(user=by_name[school.code.lower()], role=Membership.Role.PRINCIPAL, school=school,
                                          title="Hiệu trưởng"))
        for i, unit in enumerate(units, start=1):
            for suffix in "ab":
                memberships.append(Membership(user=by_name[f"cv.city{i}{suffix}"], role=Membership.Role.DISTRICT_REVIEWER,
                                              organisation=unit, title="Chuyên viên"))
            memberships.append(Membership(user=by_name[f"tp.city{i}"], role=Membership.Role.DISTRICT_HEAD, organisation=unit))
        memberships.append(Membership(user=by_name[OFFICER], role=Membership.Role.DEPARTMENT_OFFICER, organisation=department))
        Membership.objects.bulk_create(memberships, batch_size=2000)
        reviewer_of = {unit.pk: by_name[f"cv.city{i}a"] for i, unit in enumerate(units, start=1)}

        versions_by, criteria_by = {}, {}
        for level in levels:
            for year in years:
                version = regulation_for(level, year.start_date, school_year=year.code)
                versions_by[(level, year.pk)] = version
                if version.pk not in criteria_by:
                    criteria_by[version.pk] = list(Criterion.objects.filter(standard__version=version, is_repealed=False)
                                                   .select_related("standard").order_by("standard__position", "position"))
        reports = []
        for year in years:
            for school in schools:
                status = _weighted(rng, CURRENT_STATUSES if year == current else PAST_STATUSES)
                base = rng.choice([0, 1, 1, 2, 2, 2, 3])
                reports.append(Report(
                    school=school, school_year=year, kind="periodic", regulation_version=versions_by[(school.level, year.pk)],
                    regulation_date=year.start_date, status=status, school_level=base,
                    accreditation_level=min(base, 3) if status != "draft" else None,
                    national_standard=min(base, 2) if status != "draft" else None))
        Report.objects.bulk_create(reports, batch_size=2000)
        assessments, states, versions, assignments = [], [], [], []
        levels_of = {}
        for r in reports:
            criteria = criteria_by[r.regulation_version_id]
            levels_of[r.pk] = {c.number: max(0, min(3, r.school_level + rng.choice([-1, 0, 0, 1]))) for c in criteria}
            assessments += [CriterionAssessment(report=r, criterion=c, position=i, level=levels_of[r.pk][c.number])
                            for i, c in enumerate(criteria, start=1)]
            states.append(ReviewState(report=r, status_changed_at=now, submitted_at=None if r.status == "draft" else now,
                                      accepted_at=now if r.status in ("accepted", "forwarded", "closed") else None))
            if r.status == "draft":
                continue
            content = canonical_json({"format": "bench", "report": {"id": r.pk}, "levels": levels_of[r.pk]})
            for number in range(1, 3 if r.status in ("resubmitted", "accepted", "forwarded", "closed") else 2):
                versions.append(ReportVersion(report=r, number=number, content=content, content_hash=content_hash(content),
                                              school_level=r.school_level, criterion_levels=levels_of[r.pk]))
            if r.status != "submitted":
                assignments.append(ReviewAssignment(report=r, reviewer=reviewer_of[r.school.reviewing_unit_id],
                                                    is_active=r.status != "closed", ended_at=now if r.status == "closed" else None))
        CriterionAssessment.objects.bulk_create(assessments, batch_size=10000)
        ReviewState.objects.bulk_create(states, batch_size=5000)
        ReportVersion.objects.bulk_create(versions, batch_size=2000)
        ReviewAssignment.objects.bulk_create(assignments, batch_size=5000)
        first_versions = {v.report_id: v for v in versions if v.number == 1}
        CommentThread.objects.bulk_create([
            CommentThread(report=r, version=first_versions[r.pk], created_by=reviewer_of[r.school.reviewing_unit_id],
                          last_activity_at=now)
            for r in reports if r.status in ("in_review", "returned") for _ in range(rng.randint(1, 4))
        ], batch_size=5000)

        # Evaluations: the year's two deadlines per unit, the 20/12 periodic reports, certificates.
        deadlines = {}
        for unit in units:
            deadlines[unit.pk] = ReportingDeadline.objects.create(
                unit=unit, school_year=current, period="semester1", due_date=datetime.date(current.first_year, 12, 20))
            ReportingDeadline.objects.create(unit=unit, school_year=current, period="year_end",
                                             due_date=datetime.date(current.first_year + 1, 5, 10))
        current_report = {r.school_id: r for r in reports if r.school_year_id == current.pk}
        periodic = []
        for school in schools:
            status = _weighted(rng, PERIODIC_STATUSES)
            sent = status != "draft"
            periodic.append(PeriodicReport(
                school=school, deadline=deadlines[school.reviewing_unit_id], status=status,
                source_report=current_report[school.pk], summary="Nhà trường đã triển khai kế hoạch cải tiến học kỳ I.",
                submitted_at=now if sent else None, last_submitted_at=now if sent else None,
                submitted_by=by_name[school.code.lower()] if sent else None,
                reviewer=reviewer_of[school.reviewing_unit_id] if status in ("in_review", "accepted") else None,
                accepted_at=now if status == "accepted" else None, created_by=by_name[school.code.lower()],
                return_reason="Bổ sung số liệu học kỳ I." if status == "returned" else "",
                returned_at=now if status == "returned" else None))
        PeriodicReport.objects.bulk_create(periodic, batch_size=2000)
        certificates = []
        for i, school in enumerate(schools[::3]):
            decided = datetime.date(current.first_year - 1 - i % 5, 1 + i % 12, 1 + i % 28)
            certificates.append(Certificate(
                school=school, decision_number=f"{i + 1}/QĐ-SGDĐT", decision_date=decided, issuing_body="Sở GD&ĐT Thành phố",
                accreditation_level=1 + i % 3, national_standard_level=i % 3,
                valid_until=valid_until(decided), earliest_upgrade_date=earliest_upgrade_date(decided)))
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        evidence_rows, evidence_files = _evidence(schools, versions_by, criteria_by, years, by_name, rng)
    took = time.perf_counter() - started
    print(f"built {len(schools)} schools in {len(units)} units, {len(reports)} reports, {len(assessments)} criterion levels, "
          f"{len(versions)} versions, {evidence_rows} evidence items ({evidence_files} with a file) in {took:.0f} s", flush=True)
    small, big = units[0], units[1]
    typical = units[2]
    return {"department": department, "current": current, "small": small, "big": big, "typical": typical,
            "reviewer": {u.pk: reviewer_of[u.pk] for u in (small, big, typical)}, "officer": by_name[OFFICER],
            "evidence": (evidence_rows, evidence_files), "units": units}


def evidence_per_school() -> dict[str, tuple[int, int]]:
    """The demo's library per level (``evidence.demo``): items, and files (every third item)."""
    from evidence.demo_catalog import BY_LEVEL

    result = {}
    for level, by_criterion in BY_LEVEL.items():
        items = sum(len(entries) for entries in by_criterion.values())
        result[level] = (items, (items + 2) // 3)
    return result


def _evidence(schools, versions_by, criteria_by, years, by_name, rng) -> tuple[int, int]:
    """Every school's library as the demo seeds a full one: the catalog's items of each criterion,
    coded under the 2018 regulation of the last assessment, a file for every third item."""
    from evidence.demo_catalog import BY_LEVEL
    from evidence.models import Evidence
    from evidence.text import fold

    assessed = years[-2]  # the library of the last assessment under the 2018 regulations
    rows, files = [], 0
    for school in schools:
        author = by_name[school.code.lower()]
        catalog = BY_LEVEL.get(school.level, BY_LEVEL["thcs"])
        index = 0
        for criterion in criteria_by[versions_by[(school.level, assessed.pk)].pk]:
            for sequence, (template, _issuer, record) in enumerate(catalog.get(criterion.number, []), start=1):
                standard, crit = (int(p) for p in criterion.number.split("."))
                code = f"H{standard}-{standard}.{crit}-{sequence:02d}"
                name = template.format(y=assessed.first_year, y1=assessed.first_year + 1, school=school.name)
                item = Evidence(
                    school=school, criterion=criterion, sequence=sequence, code=code, box=standard, name=name[:500],
                    issuer=school.name, issued_on=datetime.date(assessed.first_year, 10, 1), created_by=author,
                    updated_by=author)
                if index % 3 == 0:
                    extension = {"photo": "png", "list": "xlsx"}.get(record, "pdf")
                    item.file = f"evidence/{school.pk}/{code}.{extension}"
                    item.file_name = f"{name[:60]}.{extension}"
                    item.file_size = rng.randint(200_000, 3_000_000)
                    item.content_type = {"png": "image/png", "pdf": "application/pdf"}.get(
                        extension, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    item.sha256 = f"{rng.getrandbits(256):064x}"
                    files += 1
                item.search_text = fold(" ".join([code, item.name, item.issuer, item.file_name]))
                rows.append(item)
                index += 1
    Evidence.objects.bulk_create(rows, batch_size=5000)
    return len(rows), files


# --- measuring ---------------------------------------------------------------------------------


def measure_sheet(build, runs: int = 3) -> dict:
    """Median and p95 seconds of building a spreadsheet, and its queries."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        build()
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        content = build()
    timings.sort()
    return {"median_s": statistics.median(timings), "p95_s": timings[-1], "queries": len(queries.captured_queries),
            "bytes": len(content), "runs": runs}


def measure_pages(city: dict) -> list[str]:
    import statistics

    from django.urls import reverse
    from django.utils import timezone

    from bench.common import measure
    from exports import selectors as export_selectors
    from exports.exporters.sheets import DistrictDashboardXlsxExporter, DistrictSummaryXlsxExporter
    from reviews.selectors import dashboard_query, district_dashboard
    from selfassessment.models import Report

    client = city["client"]
    year = city["current"]
    problems: list[str] = []
    client.force_login(city["officer"])
    healthz = measure(client, "/healthz", runs=30)
    base = f"/healthz baseline median {healthz['median_ms']:.2f} ms"

    def page(label, url, *, runs=15):
        result = measure(client, url, runs=runs, warmup=2)
        over = result["median_ms"] > PAGE_BUDGET_MS
        if over:
            problems.append(f"{label}: median {result['median_ms']:.0f} ms > {PAGE_BUDGET_MS} ms")
        print(f"{label}: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, {result['queries']} queries "
              f"({result['runs']} runs; Django CPU {cpu_ms(url):.0f} ms) | {base} | < {PAGE_BUDGET_MS} ms: "
              f"{'NOT met' if over else 'met'}", flush=True)
        return result

    def cpu_ms(url, runs=5):
        """This process's CPU per request: the server's own work, whatever else the machine runs."""
        samples = []
        for _ in range(runs):
            started = time.process_time()
            client.get(url)
            samples.append((time.process_time() - started) * 1000)
        return statistics.median(samples)

    overview = reverse("reviews:department_dashboard") + f"?year={year.pk}"
    page(f"Sở overview ({SCHOOLS} schools, {UNITS} units)", overview)
    overview_changed(client, overview, year, base)
    counts: dict[str, dict[str, int]] = {}
    for key in ("small", "typical", "big"):
        unit = city[key]
        n = unit.schools.count()
        client.force_login(city["reviewer"][unit.pk])
        counts.setdefault("dashboard", {})[key] = page(
            f"unit dashboard, {key} unit ({n} schools)",
            reverse("reviews:district_dashboard") + f"?unit={unit.pk}&year={year.pk}")["queries"]
        counts.setdefault("queue", {})[key] = page(
            f"review queue, {key} unit ({n} schools)", reverse("reviews:report_queue") + "?tab=all")["queries"]

    today = timezone.localdate()
    kind_label = str(Report.Kind("periodic").label)

    def sheet(label, build, *, job=False):
        result = measure_sheet(build)
        # A job (the whole Sở) runs in the worker with a progress bar: its time is shown, not budgeted.
        over = result["median_s"] > SHEET_BUDGET_S and not job
        if over:
            problems.append(f"{label}: median {result['median_s']:.2f} s > {SHEET_BUDGET_S} s")
        print(f"{label}: median {result['median_s']:.2f} s, max {result['p95_s']:.2f} s, {result['queries']} queries, "
              f"{result['bytes'] / 1024:.0f} KB ({result['runs']} runs) | {base} | < {SHEET_BUDGET_S:.0f} s: "
              f"{'job, no request budget' if job else 'NOT met' if over else 'met'}", flush=True)
        return result

    for key in ("small", "big"):
        unit = city[key]

        def summary(units=(unit,)):
            rows = []
            for one in units:  # unit by unit, as the background job reads them
                rows.extend(export_selectors.district_summary_rows([one], school_year=year, kind="periodic", today=today))
            return DistrictSummaryXlsxExporter(rows, units=list(units), school_year=year, kind_label=kind_label,
                                               today=today).render()[2]

        reviewer = city["reviewer"][unit.pk]

        def dashboard_sheet(unit=unit, reviewer=reviewer):
            query = dashboard_query(reviewer, {"unit": str(unit.pk), "year": str(year.pk)})
            board = district_dashboard(query.unit, school_year=query.school_year, kind=query.kind, filters=query.filters,
                                       period=query.period, today=today)
            words = export_selectors.dashboard_filter_words(query)
            return DistrictDashboardXlsxExporter(board, kind_label=kind_label, filter_words=words, today=today).render()[2]

        n = unit.schools.count()
        counts.setdefault("summary XLSX", {})[key] = sheet(f"district summary XLSX, {key} unit ({n} schools)", summary)["queries"]
        counts.setdefault("dashboard XLSX", {})[key] = sheet(f"dashboard XLSX, {key} unit ({n} schools)", dashboard_sheet)["queries"]
    all_units = tuple(city["units"])

    def city_summary():
        rows = []
        for one in all_units:
            rows.extend(export_selectors.district_summary_rows([one], school_year=year, kind="periodic", today=today))
        return DistrictSummaryXlsxExporter(rows, units=list(all_units), school_year=year, kind_label=kind_label,
                                           today=today).render()[2]

    sheet(f"district summary XLSX, whole Sở ({SCHOOLS} schools, {UNITS} units read one by one; a job)", city_summary, job=True)
    small_n, big_n = city["small"].schools.count(), city["big"].schools.count()
    for name, by_size in counts.items():
        values = sorted(set(by_size.values()))
        same = len(values) == 1
        if not same:
            problems.append(f"{name}: queries differ by unit size {by_size}")
        print(f"constant queries, {name} ({small_n} vs {big_n} schools): {by_size} -> {'yes' if same else 'NO'}", flush=True)
    return problems


def overview_changed(client, url: str, year, base: str, runs: int = 7) -> None:
    """The Sở overview when its cached figures must be computed again: after a TT57 report of the year
    changed (each submission on 20 December: the TT57 part only), and with the cache empty (every part)."""
    import statistics

    from django.core.cache import cache
    from django.utils import timezone

    from selfassessment.models import Report

    report_id = Report.objects.filter(school_year=year, kind="periodic").order_by("pk").values_list("pk", flat=True)[0]

    def report_changed():
        Report.objects.filter(pk=report_id).update(updated_at=timezone.now())  # as its save() would

    for label, before in (("after a TT57 report change (its TT57 figures computed again)", report_changed),
                          ("cache empty (every figure computed)", cache.clear)):
        timings, cpu = [], []
        for _ in range(runs):
            before()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"Sở overview, {label}: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms "
              f"({runs} runs; Django CPU {statistics.median(cpu):.0f} ms) | {base} | not budgeted: the figures are "
              f"cached, this is the first request after a change", flush=True)
    client.get(url)


def sizes(city: dict) -> None:
    """The database's size and the evidence files it refers to (for the capacity plan)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute("SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 6")
        largest = cursor.fetchall()
    rows, files = city["evidence"]
    per_level = evidence_per_school()
    print(f"database after {YEARS} years of {SCHOOLS} schools: {database / 2**20:.0f} MiB "
          f"(largest: {', '.join(f'{name} {size / 2**20:.0f} MiB' for name, size in largest)})", flush=True)
    print(f"evidence: {rows} items, {files} with a file ({rows / SCHOOLS:.0f} and {files / SCHOOLS:.0f} per school); "
          f"the demo's library per level (items, files): {per_level}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="Keep the database (and reuse it next time).")
    parser.add_argument("--no-load", action="store_true", help="Skip the two-node load test.")
    parser.add_argument("--only-load", action="store_true", help="Only the two-node load test (pages not measured).")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()

    url = city_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CACHE_URL", None)
    try:
        created = _psql(url, f"CREATE DATABASE {DB_NAME}")
    except FileNotFoundError:
        print("bench_city skipped: it needs PostgreSQL and psql (a city does not fit the embedded database)", flush=True)
        return 0
    if created.returncode != 0 and "already exists" not in created.stderr:
        print(f"bench_city skipped: cannot create {DB_NAME}: {created.stderr.strip()}", flush=True)
        return 0
    from bench.common import setup

    try:
        client = setup(DB_NAME)
        from django.db import connection

        from schools.models import Organisation

        if not Organisation.objects.filter(code=DEPARTMENT_CODE).exists():
            city = build()
        else:
            city = _reuse()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # statistics as autovacuum would have them on a live database
        city["client"] = client
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average {load:.2f} before measuring", flush=True)
        problems = [] if args.only_load else measure_pages(city)
        if not args.only_load:
            sizes(city)
        for problem in problems:
            print(f"OVER BUDGET: {problem}", flush=True)
        connection.close()
        if not args.no_load:
            from bench.load import city as city_load

            city_load.run(url, users=args.users, seconds=args.seconds)
        return 0
    finally:
        if not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: BLE001, S110  Django may not be set up yet
                pass
            dropped = _psql(url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            print(f"dropped {DB_NAME}" if dropped.returncode == 0 else f"could not drop {DB_NAME}: {dropped.stderr.strip()}",
                  flush=True)


def _reuse() -> dict:
    """The city of an earlier run kept with --keep."""
    from evidence.models import Evidence
    from schools.models import Organisation, User
    from schools.years import school_year_current

    units = list(Organisation.objects.filter(parent__code=DEPARTMENT_CODE).order_by("code"))
    small, big, typical = units[0], units[1], units[2]
    reviewers = {u.pk: User.objects.get(username=f"cv.city{i}a") for i, u in ((1, small), (2, big), (3, typical))}
    evidence = Evidence.objects.filter(school__reviewing_unit__parent__code=DEPARTMENT_CODE)
    print("reusing the city of an earlier run (--keep)", flush=True)
    return {"current": school_year_current(), "small": small, "big": big, "typical": typical, "reviewer": reviewers,
            "officer": User.objects.get(username=OFFICER), "units": units,
            "evidence": (evidence.count(), evidence.exclude(file="").count())}


if __name__ == "__main__":
    raise SystemExit(main())
