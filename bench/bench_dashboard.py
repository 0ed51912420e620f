"""Benchmark: the district dashboard with 1,000 schools and 5 years of reports (target < 150 ms median).

    .venv/bin/python bench/bench_dashboard.py       # PostgreSQL database kd_bench_dash when reachable

Builds once (kept between runs) the demo organisations, a generated district of 1,000 schools
(``schools.demo.seed_large_district``) and, for each school, a report per school year for the
five most recent years with a computed level per criterion, a review state, frozen versions,
reviewers assigned, open comment threads, the year's reporting deadlines, an accreditation plan
and certificates. Rows are written in bulk (this is read-side data for timing; the statuses are
test data). Prints the median and p95 server time and the query count of the district
dashboard and of the Sở's overview next to the /healthz baseline of the same run.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import login, measure, report, setup  # noqa: E402

SCHOOLS = 1000
YEARS = 5
REVIEWER = "cv.benchmark"
STATUSES = ["draft", "submitted", "in_review", "returned", "resubmitted", "accepted", "forwarded"]


def build() -> tuple[int, int]:
    """Create the data unless it is there; return (unit id, current school year id)."""
    from django.db import transaction

    from reviews.models import CommentThread, ReportVersion, ReviewAssignment, ReviewState, canonical_json, content_hash
    from schools import demo
    from schools.models import Organisation, School, SchoolYear, User
    from selfassessment.models import CriterionAssessment, Report
    from standards.models import Criterion, Regulation
    from standards.selectors import regulation_for
    from standards.services import DATA_DIR, catalogs_load

    if not Regulation.objects.filter(code="TT18/2018").exists():
        catalogs_load(paths=sorted(DATA_DIR.glob("*.json")))
    if not Organisation.objects.filter(code="so-ha-noi").exists():
        demo.seed()
    unit = demo.seed_large_district(SCHOOLS)
    from schools.years import school_year_current

    current = school_year_current()
    years = [SchoolYear.objects.get(code=SchoolYear.code_for(current.first_year - i)) for i in range(YEARS)]
    schools = list(School.objects.filter(reviewing_unit=unit).order_by("code"))
    if Report.objects.filter(school__reviewing_unit=unit).count() >= SCHOOLS * YEARS:
        return unit.pk, current.pk
    reviewer = User.objects.get(username=REVIEWER)
    rng = random.Random(2024)
    started = time.perf_counter()
    with transaction.atomic():
        versions_by_level = {}
        criteria_by_version = {}
        for level in ("mn", "th", "thcs"):
            for year in years:
                version = regulation_for(level, year.start_date)
                versions_by_level[(level, year.pk)] = version
                if version.pk not in criteria_by_version:
                    criteria_by_version[version.pk] = list(
                        Criterion.objects.filter(standard__version=version, is_repealed=False)
                        .order_by("standard__position", "position")
                    )
        existing = set(Report.objects.filter(school__in=schools).values_list("school_id", "school_year_id"))
        reports = []
        for year_index, year in enumerate(years):
            for school in schools:
                if (school.pk, year.pk) in existing:
                    continue
                # Past years are done; the current year is spread over the whole workflow.
                status = rng.choice(STATUSES) if year_index == 0 else rng.choice(["accepted", "forwarded", "closed"])
                reports.append(Report(
                    school=school, school_year=year, kind="periodic", regulation_version=versions_by_level[(school.level, year.pk)],
                    regulation_date=year.start_date, status=status, school_level=rng.choice([0, 1, 1, 2, 2, 2, 3]),
                ))
        Report.objects.bulk_create(reports, batch_size=1000)
        reports = list(Report.objects.filter(school__in=schools).select_related("school_year"))
        assessments = []
        levels_of: dict[int, dict[str, int]] = {}
        for report_row in reports:
            base = report_row.school_level or 0
            levels = {c.number: max(0, min(3, base + rng.choice([-1, 0, 0, 1]))) for c in criteria_by_version[report_row.regulation_version_id]}
            levels_of[report_row.pk] = levels
            assessments.extend(
                CriterionAssessment(report=report_row, criterion=c, position=i, level=levels[c.number])
                for i, c in enumerate(criteria_by_version[report_row.regulation_version_id], start=1)
            )
        CriterionAssessment.objects.bulk_create(assessments, batch_size=5000)
        now = datetime.datetime.now(datetime.UTC)
        ReviewState.objects.bulk_create(
            [ReviewState(report=r, status_changed_at=now, submitted_at=now if r.status != "draft" else None) for r in reports],
            batch_size=2000,
        )
        versions, assignments = [], []
        for r in reports:
            if r.status == "draft":
                continue
            # A compact snapshot of the same shape (the dashboard reads levels, never the content).
            content = canonical_json({"format": "bench", "report": {"id": r.pk}, "levels": levels_of[r.pk]})
            for number in range(1, 3 if r.status in ("resubmitted", "accepted", "forwarded", "closed") else 2):
                versions.append(ReportVersion(
                    report=r, number=number, content=content, content_hash=content_hash(content),
                    school_level=r.school_level, criterion_levels=levels_of[r.pk],
                ))
            if r.status != "submitted":
                assignments.append(ReviewAssignment(report=r, reviewer=reviewer, is_active=r.status != "closed",
                                                    ended_at=None if r.status != "closed" else now))
        ReportVersion.objects.bulk_create(versions, batch_size=2000)
        ReviewAssignment.objects.bulk_create(assignments, batch_size=2000)
        first_versions = {v.report_id: v for v in ReportVersion.objects.filter(report__in=reports, number=1)}
        threads = [
            CommentThread(report=r, version=first_versions[r.pk], created_by=reviewer, last_activity_at=now)
            for r in reports if r.status in ("in_review", "returned") and r.pk in first_versions
            for _ in range(rng.randint(1, 4))
        ]
        CommentThread.objects.bulk_create(threads, batch_size=2000)
        _evaluations(unit, current, schools, rng)
    print(f"built {len(reports)} reports, {len(assessments)} criterion levels in {time.perf_counter() - started:.0f} s",
          flush=True)
    return unit.pk, current.pk


def _evaluations(unit, year, schools, rng) -> None:
    """Deadlines, the year's plan and certificates (the dashboard's columns from the evaluations app)."""
    from evaluations.models import AccreditationPlan, Certificate, PlannedSchool, PlanTarget, ReportingDeadline

    ReportingDeadline.objects.get_or_create(unit=unit, school_year=year, period="semester1",
                                            defaults={"due_date": datetime.date(year.first_year, 12, 20)})
    ReportingDeadline.objects.get_or_create(unit=unit, school_year=year, period="year_end",
                                            defaults={"due_date": datetime.date(year.first_year + 1, 5, 10)})
    plan, _ = AccreditationPlan.objects.get_or_create(unit=unit, year=year.first_year + 1,
                                                      defaults={"title": f"Kế hoạch KĐCLGD năm {year.first_year + 1}"})
    for level, count in (("mn", 60), ("th", 40), ("thcs", 90)):
        PlanTarget.objects.get_or_create(plan=plan, level=level, defaults={"count": count})
    PlannedSchool.objects.bulk_create([PlannedSchool(plan=plan, school=s) for s in schools[:190]], ignore_conflicts=True)
    for school in schools[::3]:
        decided = datetime.date(2019 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
        Certificate.objects.get_or_create(
            school=school, decision_number=f"{school.pk}/QĐ-SGDĐT",
            defaults={"decision_date": decided, "accreditation_level": rng.choice([1, 2, 3])},
        )


def cpu_median_ms(client, url: str, runs: int = 15) -> float:
    """Median CPU time of this process per request: the server's own work, whatever else runs on the machine."""
    import statistics

    client.get(url)
    samples = []
    for _ in range(runs):
        started = time.process_time()
        client.get(url)
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    client = setup("kd_bench_dash")
    unit_id, year_id = build()
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh statistics after the bulk load, as autovacuum would have them on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the target is stated for PostgreSQL", flush=True)
    login(client, REVIEWER)
    healthz = measure(client, "/healthz")
    dashboard = measure(client, f"/review/district/?unit={unit_id}&year={year_id}")
    report(f"district dashboard, {SCHOOLS} schools × {YEARS} years", dashboard, healthz, target_ms=150)
    # Wall time above depends on what else the machine runs; these show the share of our own work.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  of which Django CPU {cpu_median_ms(client, dashboard['url']):.1f} ms per request; "
          f"load average {load:.2f} on {os.cpu_count()} CPUs", flush=True)
    filtered = measure(client, f"/review/district/?unit={unit_id}&year={year_id}&status=in_review&level=thcs")
    report("district dashboard filtered (in review, THCS)", filtered, healthz)
    login(client, "cv.so")
    report("Sở overview (all districts)", measure(client, f"/review/department/?year={year_id}"), healthz)
    login(client, REVIEWER)
    report("review queue (all in review)", measure(client, "/review/?tab=all"), healthz)


if __name__ == "__main__":
    main()
