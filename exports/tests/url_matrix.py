"""Permission matrix of the export URLs (kiemdinh/tests/test_url_matrix.py runs it for every persona).

A report of school A submitted once (version 1), a round of district A with school A, an external
evaluation of school A, and two dossier jobs asked for by the reviewer of A (one built, one failed).
Exports are the principal's, the district's and the Sở's; school staff outside the council
secretariat get 403; anyone outside the school or district gets 404; the verification page is
public.
"""

from kiemdinh.testing import LOGIN, UrlCase, everyone

OUTSIDE = {"principal_c": 404, "other_reviewer": 404}
# The report's audience for exports: the principal, the district office of A, the Sở, the admin.
EXPORT = everyone(200, staff_a=403, **OUTSIDE)
# The live draft: the school's writers (and the admin) only.
DRAFT = everyone(403, principal_a=200, sysadmin=200, **OUTSIDE)
# District and Sở pages: school people are refused.
DISTRICT = everyone(200, principal_a=403, staff_a=403, principal_c=403)
DISTRICT_POST = everyone(302, principal_a=403, staff_a=403, principal_c=403)
ROUND = everyone(200, principal_a=403, staff_a=403, **OUTSIDE)
ROUND_POST = everyone(302, principal_a=403, staff_a=403, **OUTSIDE)
# A job of district A: hidden from everyone outside its audience.
JOB = everyone(200, principal_a=404, staff_a=404, principal_c=404, other_reviewer=404)
JOB_POST = everyone(302, principal_a=404, staff_a=404, principal_c=404, other_reviewer=404)
GET_ON_POST = everyone(405, anonymous=LOGIN)


def setup(ctx):
    import datetime

    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from evaluations.models import EvaluationRound, ExternalEvaluation, RoundRegistration
    from exports.models import ExportJob
    from reviews.services import version_freeze
    from selfassessment import services as sa
    from selfassessment.tests.factories import load_catalog
    from standards.selectors import regulation_for

    school_a, principal = ctx["school_a"], ctx["principal_a"]
    if regulation_for(school_a.level, ctx["school_year"].start_date) is None:
        load_catalog()
    # Its own kind of report, so that it never collides with the reports other apps' setups create.
    report = sa.report_create(school=school_a, school_year=ctx["school_year"], kind="external", by=principal)
    with transaction.atomic():
        version = version_freeze(report=report, by=principal)
    evaluation_round = EvaluationRound.objects.create(unit=ctx["district"], year=2026, number=3)
    RoundRegistration.objects.create(round=evaluation_round, school=school_a)
    evaluation = ExternalEvaluation.objects.create(school=school_a, regulation_version=report.regulation_version)
    now = timezone.now()
    done = ExportJob(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ đợt 3", organisation=ctx["district"],
                     requested_by=ctx["reviewer"], params={"round": evaluation_round.pk, "include_files": False},
                     status=ExportJob.Status.DONE, progress=100, file_name="ho-so.zip", content_type="application/zip",
                     size=4, sha256="0" * 64, finished_at=now, expires_at=now + datetime.timedelta(days=1))
    done.file.save("ho-so.zip", ContentFile(b"PK\x05\x06"), save=False)
    done.save()
    failed = ExportJob.objects.create(kind=ExportJob.Kind.DOSSIER, title="Hồ sơ lỗi", organisation=ctx["district"],
                                      requested_by=ctx["reviewer"], params={"round": evaluation_round.pk},
                                      status=ExportJob.Status.FAILED, error="Lỗi thử")
    ctx.update({"export_report": report, "export_version": version, "export_round": evaluation_round,
                "export_evaluation": evaluation, "export_job": done, "export_failed_job": failed})


def _report(ctx):
    return {"pk": ctx["export_report"].pk}


CASES = [
    UrlCase("exports:report_exports", EXPORT, kwargs=_report),
    UrlCase("exports:report_download", EXPORT, kwargs=lambda ctx: {**_report(ctx), "fmt": "pdf"}),
    UrlCase("exports:report_download", DRAFT, kwargs=lambda ctx: {**_report(ctx), "fmt": "docx"}, query="?draft=1",
            label="exports:report_download:draft"),
    # The report of a submitted version as a background job: the same audience as the download.
    UrlCase("exports:report_request", everyone(302, staff_a=403, **OUTSIDE), method="post",
            kwargs=lambda ctx: {**_report(ctx), "fmt": "pdf"}, query="?version=1"),
    UrlCase("exports:report_request", GET_ON_POST, kwargs=lambda ctx: {**_report(ctx), "fmt": "docx"},
            query="?version=1", label="exports:report_request:get-not-allowed"),
    # Biểu 2 of a TT57 report: the report's audience; this 2018 report has none (404 once allowed).
    UrlCase("exports:plan57_download", everyone(404, staff_a=403, **OUTSIDE),
            kwargs=lambda ctx: {**_report(ctx), "fmt": "pdf"}),
    UrlCase("exports:report_sheet", EXPORT, kwargs=lambda ctx: {**_report(ctx), "sheet": "summary"}),
    UrlCase("exports:report_form", EXPORT, kwargs=lambda ctx: {**_report(ctx), "form": "council-decision", "fmt": "docx"}),
    UrlCase("exports:evaluation_sheet", EXPORT, kwargs=lambda ctx: {"pk": ctx["export_evaluation"].pk}),
    UrlCase("exports:district_summary", DISTRICT),
    UrlCase("exports:district_summary_download", DISTRICT),
    # The summary's button: few schools → the download above (302), many → a job (302); district people.
    UrlCase("exports:district_summary_request", DISTRICT_POST, method="post",
            data=lambda ctx: {"unit": "", "school_year": "", "kind": "periodic"}),
    UrlCase("exports:district_summary_request", GET_ON_POST, label="exports:district_summary_request:get-not-allowed"),
    # The dashboard as a spreadsheet: whoever may open the district dashboard.
    UrlCase("exports:dashboard_xlsx", everyone(200, principal_a=403, staff_a=403, principal_c=403)),
    UrlCase("exports:dashboard_request", DISTRICT_POST, method="post"),
    UrlCase("exports:dashboard_request", GET_ON_POST, label="exports:dashboard_request:get-not-allowed"),
    UrlCase("exports:round_exports", ROUND, kwargs=lambda ctx: {"pk": ctx["export_round"].pk}),
    UrlCase("exports:round_letter", ROUND, kwargs=lambda ctx: {"pk": ctx["export_round"].pk, "fmt": "docx"}),
    UrlCase("exports:dossier_build", ROUND_POST, method="post", kwargs=lambda ctx: {"pk": ctx["export_round"].pk}),
    UrlCase("exports:dossier_build", GET_ON_POST, kwargs=lambda ctx: {"pk": ctx["export_round"].pk},
            label="exports:dossier_build:get-not-allowed"),
    UrlCase("exports:job_list", everyone(200)),
    UrlCase("exports:job_detail", JOB, kwargs=lambda ctx: {"uuid": ctx["export_job"].uuid}),
    UrlCase("exports:job_status", JOB, kwargs=lambda ctx: {"uuid": ctx["export_job"].uuid}),
    UrlCase("exports:job_download", JOB, kwargs=lambda ctx: {"uuid": ctx["export_job"].uuid}),
    UrlCase("exports:job_retry", JOB_POST, method="post", kwargs=lambda ctx: {"uuid": ctx["export_failed_job"].uuid}),
    UrlCase("exports:job_retry", GET_ON_POST, kwargs=lambda ctx: {"uuid": ctx["export_failed_job"].uuid},
            label="exports:job_retry:get-not-allowed"),
    UrlCase("exports:verify", {}, default=200),
    UrlCase("exports:verify", {}, default=200, query="?code=zz", label="exports:verify:bad-code"),
]
