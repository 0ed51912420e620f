"""Benchmark of the exports (targets: PDF < 4 s and < 500 MB; district XLSX of 1,000 schools < 2 s).

    .venv/bin/python bench/bench_exports.py            # PostgreSQL database kd_bench_exports when reachable
    BENCH_SETTINGS=kiemdinh.settings_h6 .venv/bin/python bench/bench_exports.py   # before exports is installed

1. The report as PDF: a full TT18 report (5 standards, 28 criteria, every indicator described in
   realistic Vietnamese with citations, strengths, weaknesses, improvement plans, Phần I tables,
   150 evidence items; levels computed by the real engine) rendered by ``ReportPdfExporter`` from
   its dict, exactly as a submitted version is rendered. Its size is calibrated on the project's
   own demo report of a THCS (selfassessment demo: about 28,000 words, 60 words per indicator):
   about 28,000 words, 70 per indicator. A heavier report (35,000 words, 110 per indicator) is
   measured too, for information. Each is measured in a fresh process so that its peak memory
   (ru_maxrss) is the export's own: the first render (cold: WeasyPrint's first use) and the median
   of three more (warm: a worker that has exported before), wall and CPU time.
2. The district summary spreadsheet for 1,000 schools (each with a report, a submitted version,
   a reviewer, a certificate and a reporting deadline): the selector and the exporter, then the
   whole request through the view, with its query count.
Figures are printed with the /healthz baseline of the same run, to read them against the machine.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHOOLS = 1000
PDF_TARGET_S = 4.0
PDF_MEMORY_TARGET_MB = 500
XLSX_TARGET_S = 2.0


# --- 1. The PDF, in a child process ----------------------------------------------------------------


def pdf_child(sentences: int) -> None:
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "kiemdinh.settings")
    import django

    django.setup()
    import datetime

    from exports.document import Stamp
    from exports.exporters import ReportPdfExporter
    from exports.tests.readers import pdf_pages
    from exports.tests.sample import report_dict

    data = report_dict(evidence_items=150, sentences=sentences)
    stamp = Stamp(version=1, content_hash="ab" * 32, submitted_at=datetime.datetime(2025, 4, 20, 9, 0),
                  verify_url="https://kiemdinh.example/exports/verify/")

    def render() -> tuple[float, float, bytes]:
        wall, cpu = time.perf_counter(), time.process_time()
        _name, _type, content = ReportPdfExporter(data, stamp).render()
        return time.perf_counter() - wall, time.process_time() - cpu, content

    cold_wall, cold_cpu, content = render()
    warm = [render() for _ in range(3)]
    words = sum(len(str(v).split()) for v in _strings(data))
    print(json.dumps({
        "cold_s": cold_wall, "cold_cpu_s": cold_cpu,
        "warm_s": statistics.median(w for w, _c, _b in warm), "warm_cpu_s": statistics.median(c for _w, c, _b in warm),
        "pages": len(pdf_pages(content)) if _has_poppler() else None, "bytes": len(content), "words": words,
        "criteria": sum(len(s["criteria"]) for s in data["part2"]["standards"]), "evidence": len(data["evidence"]),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _has_poppler() -> bool:
    from shutil import which

    return which("pdftotext") is not None


def bench_pdf(sentences: int) -> dict:
    env = {**os.environ}
    out = subprocess.run([sys.executable, __file__, "--pdf-child", str(sentences)], capture_output=True, text=True,
                         env=env)
    if out.returncode != 0:
        raise SystemExit(f"PDF benchmark failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- 2. The district summary of 1,000 schools ------------------------------------------------------------


def build_district():
    """1,000 schools with a report each (and a version, a reviewer, a certificate, a deadline); kept between runs."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from evaluations.certification import earliest_upgrade_date, valid_until
    from evaluations.models import Certificate, PeriodicReport, ReportingDeadline
    from reviews.models import ReportVersion, ReviewAssignment, canonical_json, content_hash
    from schools.models import Membership, Organisation, School, SchoolYear, User
    from selfassessment.models import Report
    from standards.models import Regulation, RegulationVersion
    from standards.services import DATA_DIR, catalogs_load

    if not Regulation.objects.filter(code="TT18/2018").exists():
        catalogs_load(paths=[DATA_DIR / "tt18_2018.json"])
    version = RegulationVersion.objects.get(regulation__code="TT18/2018", is_base=True)
    department, _ = Organisation.objects.get_or_create(
        code="so-bench-exports", defaults={"name": "Sở GD&ĐT thử nghiệm", "kind": "department"})
    unit, _ = Organisation.objects.get_or_create(
        code="pgd-bench-exports",
        defaults={"name": "Phòng Giáo dục và Đào tạo quận Thử nghiệm", "short_name": "Phòng GD&ĐT Thử nghiệm",
                  "kind": "district_office", "parent": department})
    year, _ = SchoolYear.objects.get_or_create(
        code="2024-2025", defaults={"start_date": datetime.date(2024, 9, 5), "end_date": datetime.date(2025, 5, 31)})
    reviewer, created = User.objects.get_or_create(username="cv.bench.exports", defaults={"full_name": "Chuyên viên thử"})
    if created:
        Membership.objects.create(user=reviewer, role="district_reviewer", organisation=unit)
    if School.objects.filter(reviewing_unit=unit).count() >= SCHOOLS:
        return unit, year, reviewer
    levels = ["thcs", "th", "mn"]
    with transaction.atomic():
        School.objects.bulk_create([
            School(code=f"BX-{i:04d}", name=f"Trường thử nghiệm số {i}", level=levels[i % 3], reviewing_unit=unit,
                   founding_year=1960 + i % 60)
            for i in range(1, SCHOOLS + 1)
        ], batch_size=500)
        schools = list(School.objects.filter(reviewing_unit=unit).order_by("pk"))
        statuses = ["draft", "submitted", "in_review", "returned", "accepted", "forwarded"]
        Report.objects.bulk_create([
            Report(school=s, school_year=year, kind="periodic", regulation_version=version,
                   regulation_date=datetime.date(2024, 9, 5), status=statuses[i % len(statuses)],
                   school_level=i % 4, accreditation_level=i % 3, national_standard=i % 2)
            for i, s in enumerate(schools)
        ], batch_size=500)
        reports = list(Report.objects.filter(school__reviewing_unit=unit, school_year=year).order_by("pk"))
        text = canonical_json({"bench": True})
        ReportVersion.objects.bulk_create([
            ReportVersion(report=r, number=1, content=text, content_hash=content_hash(text), submitted_by=reviewer)
            for r in reports if r.status != "draft"
        ], batch_size=500)
        ReviewAssignment.objects.bulk_create([
            ReviewAssignment(report=r, reviewer=reviewer, assigned_by=reviewer) for r in reports[::2]
        ], batch_size=500)
        Certificate.objects.bulk_create([
            Certificate(school=s, decision_number=f"{i}/QĐ-SGDĐT", decision_date=datetime.date(2021, 6, 1),
                        issuing_body="Sở GD&ĐT thử nghiệm", accreditation_level=1 + i % 3, national_standard_level=i % 2,
                        valid_until=valid_until(datetime.date(2021, 6, 1)),
                        earliest_upgrade_date=earliest_upgrade_date(datetime.date(2021, 6, 1)))
            for i, s in enumerate(schools[::3])
        ], batch_size=500)
        deadline = ReportingDeadline.objects.create(unit=unit, school_year=year, period="semester1",
                                                    due_date=datetime.date(2024, 12, 20))
        PeriodicReport.objects.bulk_create([
            PeriodicReport(school=s, deadline=deadline, status="submitted", submitted_at=timezone.now())
            for s in schools[::4]
        ], batch_size=500)
    return unit, year, reviewer


def bench_xlsx() -> dict:
    from bench.common import measure, setup

    client = setup("kd_bench_exports")
    import datetime

    from django.db import connection
    from django.urls import reverse

    from exports import selectors
    from exports.exporters.sheets import DistrictSummaryXlsxExporter

    unit, year, reviewer = build_district()
    today = datetime.date(2025, 1, 10)

    def export() -> bytes:
        rows = selectors.district_summary_rows([unit], school_year=year, kind="periodic", today=today)
        return DistrictSummaryXlsxExporter(rows, units=[unit], school_year=year, kind_label="Tự đánh giá định kỳ",
                                           today=today).render()[2]

    content = export()  # warm-up
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        content = export()
        timings.append(time.perf_counter() - started)
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        export()
    client.force_login(reviewer)
    url = reverse("exports:district_summary_download") + f"?unit={unit.pk}&school_year={year.pk}"
    view = measure(client, url, runs=5, warmup=1)
    healthz = measure(client, "/healthz", runs=30)
    from exports.tests.readers import workbook

    rows = workbook(content)["Tổng hợp"].max_row - 5
    return {"median_s": statistics.median(timings), "queries": len(executed), "rows": rows,
            "bytes": len(content), "view_ms": view["median_ms"], "view_queries": view["queries"],
            "healthz_ms": healthz["median_ms"], "database": connection.vendor}


def main() -> None:
    strict = "--strict" in sys.argv
    ok_pdf = True
    for label, sentences, counted in (("realistic", 2, True), ("heavy", 3, False)):
        pdf = bench_pdf(sentences)
        met = pdf["warm_s"] < PDF_TARGET_S and pdf["maxrss_mb"] < PDF_MEMORY_TARGET_MB
        if counted:
            ok_pdf = met
        verdict = f"target < {PDF_TARGET_S:.0f} s and < {PDF_MEMORY_TARGET_MB} MB: {'met' if met else 'NOT met'}"
        print(
            f"Report PDF, full TT18, {label} ({pdf['criteria']} criteria, {pdf['evidence']} evidence items, "
            f"{pdf['words']:,} words, {pdf['pages']} pages, {pdf['bytes'] / 1024:.0f} KB): first render "
            f"{pdf['cold_s']:.2f} s (CPU {pdf['cold_cpu_s']:.2f} s), then median {pdf['warm_s']:.2f} s "
            f"(CPU {pdf['warm_cpu_s']:.2f} s); peak memory {pdf['maxrss_mb']:.0f} MB | "
            + (verdict if counted else "for information"),
            flush=True,
        )
    xlsx = bench_xlsx()
    ok_xlsx = xlsx["median_s"] < XLSX_TARGET_S
    print(
        f"District summary XLSX, {xlsx['rows']} schools ({xlsx['database']}): median {xlsx['median_s']:.2f} s, "
        f"{xlsx['queries']} queries, {xlsx['bytes'] / 1024:.0f} KB; whole request {xlsx['view_ms']:.0f} ms "
        f"({xlsx['view_queries']} queries) | /healthz baseline median {xlsx['healthz_ms']:.2f} ms | "
        f"target < {XLSX_TARGET_S:.0f} s: {'met' if ok_xlsx else 'NOT met'}",
        flush=True,
    )
    if strict and not (ok_pdf and ok_xlsx):
        raise SystemExit(1)


if __name__ == "__main__":
    if "--pdf-child" in sys.argv:
        pdf_child(int(sys.argv[sys.argv.index("--pdf-child") + 1]))
    else:
        main()
