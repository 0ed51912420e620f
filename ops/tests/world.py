"""A small world with files: evidence items with files, a submitted and accepted version, a
second submitted version, and a dossier export holding the evidence files."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def seed(report, principal, reviewer, evaluation_round) -> dict:
    from evidence import services as evidence_services
    from evidence.demo import tiny_pdf
    from evidence.tests import samples
    from exports import services as export_services
    from exports.models import ExportJob
    from exports.tests.builders import accept, submit
    from standards.models import Criterion

    criteria = list(Criterion.objects.filter(standard__version=report.regulation_version).order_by("pk"))
    items = [
        evidence_services.evidence_create(
            school=report.school, criterion=criteria[0], by=principal, name="Biên bản họp hội đồng",
            upload=SimpleUploadedFile("Biên bản họp.pdf", tiny_pdf(["Bien ban hop hoi dong"]), content_type="application/pdf"),
        ),
        evidence_services.evidence_create(
            school=report.school, criterion=criteria[1], by=principal, name="Ảnh lễ khai giảng",
            upload=SimpleUploadedFile("khai-giang.png", samples.png(), content_type="image/png"),
        ),
        evidence_services.evidence_create(
            school=report.school, criterion=criteria[1], by=principal, name="Kế hoạch năm học",
            upload=SimpleUploadedFile("Kế hoạch.docx", samples.docx(), content_type="application/octet-stream"),
        ),
    ]
    first = submit(report, principal)
    accept(report)
    job, _created = export_services.export_job_request(
        kind=ExportJob.Kind.DOSSIER, params={"round": evaluation_round.pk, "include_files": True},
        title="Hồ sơ đợt 1", organisation=evaluation_round.unit, by=reviewer,
    )
    export_services.export_job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    return {"evidence": items, "version": first, "job": job}
