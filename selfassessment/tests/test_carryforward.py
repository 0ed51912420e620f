"""Starting this year's TT57 report from the 2024-2025 one: what is carried, what waits for the
principal's confirmation, what stays untouched, and who may do it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Event
from evidence import services as evidence_services
from evidence.models import Evidence, EvidenceCarryOver
from evidence.tests import samples
from schools.models import SchoolYear
from schools.tests.factories import SchoolYearFactory
from selfassessment import carryforward, services
from selfassessment.models import CouncilMember, DataTable, Passage, Report
from standards.models import Criterion, Regulation
from standards.services import DATA_DIR, catalogs_load

OLD_DAY = datetime.date(2025, 3, 3)


def _current_year() -> SchoolYear:
    """The school year of today (the app's clock), whatever the day the suite runs on (2026-2027 or later)."""
    today = timezone.localdate()
    first = today.year if today.month >= 9 else today.year - 1
    first = max(first, 2026)
    return SchoolYearFactory(
        code=SchoolYear.code_for(first), start_date=datetime.date(first, 9, 1), end_date=datetime.date(first + 1, 5, 31)
    )


@pytest.fixture
def catalogs(db):
    catalogs_load(paths=[DATA_DIR / "tt18_2018.json", DATA_DIR / "tt57_2026.json"])
    return Regulation.objects.get(code="TT18/2018")


@pytest.fixture
def years(catalogs):
    old = SchoolYearFactory(code="2024-2025", start_date=datetime.date(2024, 9, 5), end_date=datetime.date(2025, 5, 31))
    return old, _current_year()


def _tt18(number: str) -> Criterion:
    return (
        Criterion.objects.filter(standard__version__regulation__code="TT18/2018", number=number)
        .select_related("standard__version__regulation").order_by("-standard__version__effective").first()
    )


@pytest.fixture
def old_report(years, school_a, principal_a):
    report = services.report_create(
        school=school_a, school_year=years[0], kind="periodic", by=principal_a, today=OLD_DAY
    )
    for position, (name, role) in enumerate([("Nguyễn Thị Hoa", "chair"), ("Trần Văn Nam", "secretary"),
                                              ("Lê Thị Mai", "member")], start=1):
        CouncilMember.objects.create(report=report, position=position, full_name=name, role=role, title="Giáo viên")
    DataTable.objects.filter(report=report).update(values={"2024-2025": {"total": 12}})
    Passage.objects.filter(report=report, key="introduction").update(text="Nhà trường có chiến lược [H1-1.1-01].")
    return report


@pytest.fixture
def library(old_report, school_a, principal_a):
    return [
        evidence_services.evidence_create(
            school=school_a, criterion=_tt18("1.1"), by=principal_a, name="Chiến lược phát triển nhà trường",
            upload=ContentFile(samples.pdf(), name="chien-luoc.pdf"),
        ),
        evidence_services.evidence_create(school=school_a, criterion=_tt18("2.2"), by=principal_a,
                                          name="Danh sách giáo viên"),
    ]


def _snapshot(report: Report) -> dict:
    report.refresh_from_db()
    return {
        "status": report.status, "regulation": report.regulation_version_id, "version": report.version,
        "texts": dict(Passage.objects.filter(report=report).values_list("key", "text")),
        "council": list(CouncilMember.objects.filter(report=report).values_list("full_name", "needs_review")),
    }


def test_offer_appears_for_a_school_with_an_earlier_report(old_report, school_a, years):
    offer = carryforward.carry_forward_offer(school_a)
    assert offer is not None and offer.source == old_report and offer.school_year == years[1]
    assert offer.version.regulation.family == "2026" and not offer.started


def test_no_offer_without_an_earlier_report(years, school_a):
    assert carryforward.carry_forward_offer(school_a) is None


def test_carry_forward_builds_the_tt57_report_and_waits_for_confirmations(library, old_report, school_a, principal_a):
    report, created = carryforward.report_carry_forward(school=school_a, by=principal_a)
    assert created
    assert report.regulation_version.regulation.family == "2026"
    assert report.regulation_version.regulation.code.endswith("PT")
    assert report.copied_from == old_report
    # The council comes as a proposal.
    assert list(CouncilMember.objects.filter(report=report).values_list("full_name", "needs_review")) == [
        ("Nguyễn Thị Hoa", True), ("Trần Văn Nam", True), ("Lê Thị Mai", True)]
    # The evidence waits for the principal: proposals only, no MC code yet.
    rows = EvidenceCarryOver.objects.filter(school=school_a, regulation=report.regulation_version.regulation)
    assert rows.count() == 2 and set(rows.values_list("status", flat=True)) == {"proposed"}
    assert not Evidence.objects.filter(code__startswith="MC.").exists()
    assert Event.objects.filter(action="selfassessment.report.carried_forward", target_id=report.pk).exists()


def test_phan_i_data_is_carried_where_it_maps(library, old_report, school_a, principal_a):
    report, _created = carryforward.report_carry_forward(school=school_a, by=principal_a)
    page = carryforward.carry_forward_page(report)
    carried = DataTable.objects.filter(report=report, needs_review=True)
    assert page.tables_carried == carried.count()
    for table in carried:
        assert table.values  # only tables with numbers carried over are flagged


def test_pressing_twice_gives_the_same_report(library, school_a, principal_a):
    first, _ = carryforward.report_carry_forward(school=school_a, by=principal_a)
    second, created = carryforward.report_carry_forward(school=school_a, by=principal_a)
    assert (second, created) == (first, False)
    assert Report.objects.filter(school=school_a, school_year=first.school_year).count() == 1
    assert EvidenceCarryOver.objects.filter(school=school_a).count() == 2


def test_the_old_report_is_untouched_and_still_exportable(library, old_report, school_a, principal_a, client):
    before = _snapshot(old_report)
    report, _ = carryforward.report_carry_forward(school=school_a, by=principal_a)
    from evidence import carryover

    rows = list(carryover.carry_overs_for(school_a, report.regulation_version.regulation))
    carryover.carry_overs_confirm(school=school_a, regulation=report.regulation_version.regulation,
                                  ids=[r.pk for r in rows], by=principal_a)
    assert _snapshot(old_report) == before
    assert library[0].__class__.objects.get(pk=library[0].pk).code == "H1-1.1-01"
    # Its evidence list still lists the 2018 codes under TT18.
    client.force_login(principal_a)
    response = client.get(reverse("exports:report_sheet", kwargs={"pk": old_report.pk, "sheet": "evidence"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert "H1-1.1-01" in values
    assert not any(value.startswith("MC.") for value in values)


def test_the_tt57_report_exports_its_evidence_list_with_the_five_columns(library, school_a, principal_a, client):
    from evidence import carryover

    report, _ = carryforward.report_carry_forward(school=school_a, by=principal_a)
    rows = list(carryover.carry_overs_for(school_a, report.regulation_version.regulation))
    carryover.carry_overs_confirm(school=school_a, regulation=report.regulation_version.regulation,
                                  ids=[r.pk for r in rows], by=principal_a)
    client.force_login(principal_a)
    response = client.get(reverse("exports:report_sheet", kwargs={"pk": report.pk, "sheet": "evidence"}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in cells if row and row[0] == "TT")
    assert header[:5] == ["TT", "Mã minh chứng", "Tên minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử",
                          "Ghi chú"]
    codes = [row[1] for row in cells if row and isinstance(row[0], int)]
    assert sorted(codes) == ["MC.1.1.01", "MC.2.2.01"]
    strategy = next(row for row in cells if row and row[1] == "MC.1.1.01")
    assert strategy[3].startswith("PDF: ") and "Bản giấy: hộp 1" in strategy[3]


def test_a_tt57_report_started_the_usual_way_gets_its_proposals_from_the_page(
    client, library, years, school_a, principal_a
):
    report = services.report_create(school=school_a, school_year=years[1], kind="periodic", by=principal_a,
                                    copy_previous=True)
    assert report.regulation_version.regulation.family == "2026"
    client.force_login(principal_a)
    html = client.get(reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})).content.decode()
    assert "2 minh chứng của thư viện chưa có đề xuất mã TT57." in html
    response = client.post(reverse("selfassessment:carry_forward_start", kwargs={"school_pk": school_a.pk}))
    assert response["Location"] == reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    assert EvidenceCarryOver.objects.filter(school=school_a).count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "chưa có đề xuất mã TT57" not in html


def test_the_tt57_report_documents_list_the_evidence_in_five_columns(library, old_report, school_a, principal_a):
    """The Word report's Phụ lục and the PDF's document (same data) for the TT57 report; the old one keeps six."""
    import docx

    from evidence import carryover
    from exports.document import build_report_document
    from exports.exporters.report import ReportDocxExporter
    from selfassessment.serializers import report_as_dict

    report, _ = carryforward.report_carry_forward(school=school_a, by=principal_a)
    rows = list(carryover.carry_overs_for(school_a, report.regulation_version.regulation))
    carryover.carry_overs_confirm(school=school_a, regulation=report.regulation_version.regulation,
                                  ids=[r.pk for r in rows], by=principal_a)

    def evidence_table(report):
        data = report_as_dict(report)
        exporter = ReportDocxExporter(data, None)
        _name, _type, content = exporter.render()
        tables = docx.Document(io.BytesIO(content)).tables
        return build_report_document(data, None), [cell.text for cell in tables[-1].rows[0].cells]

    doc, header = evidence_table(report)
    assert doc.evidence_tt57
    assert header == ["TT", "Mã minh chứng", "Tên minh chứng", "Định dạng, vị trí lưu trữ hoặc đường dẫn điện tử",
                      "Ghi chú"]
    strategy = next(row for group in doc.evidence for row in group.rows if row.code == "MC.1.1.01")
    assert strategy.storage.startswith("PDF: ") and strategy.storage.endswith("Bản giấy: hộp 1")
    old_doc, old_header = evidence_table(old_report)
    assert not old_doc.evidence_tt57 and old_header[0] == "Số TT" and len(old_header) == 6
    assert {row.code for group in old_doc.evidence for row in group.rows} == {"H1-1.1-01", "H2-2.2-01"}


def test_council_proposal_confirm(library, school_a, principal_a):
    report, _ = carryforward.report_carry_forward(school=school_a, by=principal_a)
    assert carryforward.council_proposal_confirm(report=report, by=principal_a) == 3
    assert not CouncilMember.objects.filter(report=report, needs_review=True).exists()
    assert carryforward.council_proposal_confirm(report=report, by=principal_a) == 0


def test_only_the_principal_carries_forward(library, school_a, staff_a, principal_b, reviewer):
    for person in (staff_a, principal_b, reviewer):
        with pytest.raises(PermissionDenied):
            carryforward.report_carry_forward(school=school_a, by=person)
    assert Report.objects.filter(school=school_a).count() == 1


# --- views ------------------------------------------------------------------------------------------


def _start(client, school):
    return client.post(reverse("selfassessment:carry_forward_start", kwargs={"school_pk": school.pk}))


def test_report_list_shows_the_button_to_the_principal_only(client, library, principal_a, staff_a):
    client.force_login(principal_a)
    html = client.get(reverse("selfassessment:report_list")).content.decode()
    assert "theo Thông tư 57" in html and reverse("selfassessment:carry_forward_start", kwargs={"school_pk": library[0].school_id}) in html
    client.force_login(staff_a)
    assert "carry-forward" not in client.get(reverse("selfassessment:report_list")).content.decode()


def test_start_view_permissions(client, library, school_a, principal_a, staff_a, principal_b, reviewer):
    client.force_login(staff_a)
    assert _start(client, school_a).status_code == 403
    client.force_login(reviewer)
    assert _start(client, school_a).status_code == 403
    client.force_login(principal_b)
    assert _start(client, school_a).status_code == 404
    client.force_login(principal_a)
    assert client.get(reverse("selfassessment:carry_forward_start", kwargs={"school_pk": school_a.pk})).status_code == 405
    response = _start(client, school_a)
    report = Report.objects.get(school=school_a, copied_from__isnull=False)
    assert response.status_code == 302 and response["Location"] == reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    assert _start(client, school_a)["Location"] == response["Location"]  # twice: the same report


def test_anonymous_is_sent_to_login(client, library, school_a):
    assert _start(client, school_a).status_code == 302
    assert "login" in _start(client, school_a)["Location"]


def test_confirmation_page_and_its_actions(client, library, school_a, principal_a):
    client.force_login(principal_a)
    _start(client, school_a)
    report = Report.objects.get(school=school_a, copied_from__isnull=False)
    url = reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    html = client.get(url).content.decode()
    assert "H1-1.1-01" in html and "Chờ xác nhận" in html and "cùng nói về" in html
    rows = {r.source.code: r for r in EvidenceCarryOver.objects.filter(school=school_a).select_related("source")}
    # Bulk: only what is ticked.
    client.post(reverse("selfassessment:carry_forward_confirm", kwargs={"pk": report.pk}), {"ids": [rows["H2-2.2-01"].pk]})
    assert list(Evidence.objects.filter(code__startswith="MC.").values_list("code", flat=True)) == ["MC.2.2.01"]
    # One item, under a criterion the principal picks.
    criterion = Criterion.objects.get(standard__version=report.regulation_version, number="1.3")
    client.post(reverse("selfassessment:carry_forward_item", kwargs={"pk": report.pk, "item_pk": rows["H1-1.1-01"].pk}),
                {"action": "confirm", "criterion": criterion.pk})
    twin = Evidence.objects.get(code="MC.1.3.01")
    assert twin.file.name == library[0].file.name
    html = client.get(url).content.decode()
    assert "MC.1.3.01" in html and "MC.2.2.01" in html


def test_a_criterion_of_the_old_regulation_is_refused_by_the_view(client, library, school_a, principal_a):
    client.force_login(principal_a)
    _start(client, school_a)
    report = Report.objects.get(school=school_a, copied_from__isnull=False)
    row = EvidenceCarryOver.objects.filter(school=school_a).first()
    response = client.post(
        reverse("selfassessment:carry_forward_item", kwargs={"pk": report.pk, "item_pk": row.pk}),
        {"action": "confirm", "criterion": _tt18("1.2").pk}, follow=True,
    )
    assert "không thuộc bộ tiêu chuẩn" in response.content.decode()
    assert not Evidence.objects.filter(code__startswith="MC.").exists()


def test_actions_of_others_are_refused(client, library, school_a, principal_a, staff_a, principal_b, reviewer):
    client.force_login(principal_a)
    _start(client, school_a)
    report = Report.objects.get(school=school_a, copied_from__isnull=False)
    row = EvidenceCarryOver.objects.filter(school=school_a).first()
    confirm = reverse("selfassessment:carry_forward_confirm", kwargs={"pk": report.pk})
    item = reverse("selfassessment:carry_forward_item", kwargs={"pk": report.pk, "item_pk": row.pk})
    page = reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    client.force_login(staff_a)
    assert client.get(page).status_code == 200
    assert client.post(confirm, {"ids": [row.pk]}).status_code == 403
    assert client.post(item, {"action": "confirm"}).status_code == 403
    client.force_login(reviewer)
    assert client.get(page).status_code == 200
    assert "cf-bulk" not in client.get(page).content.decode()
    client.force_login(principal_b)
    assert client.get(page).status_code == 404
    assert client.post(confirm, {"ids": [row.pk]}).status_code == 404
    assert not Evidence.objects.filter(code__startswith="MC.").exists()


def test_confirmation_page_query_count_does_not_grow(client, library, school_a, principal_a):
    client.force_login(principal_a)
    _start(client, school_a)
    report = Report.objects.get(school=school_a, copied_from__isnull=False)
    url = reverse("selfassessment:carry_forward", kwargs={"pk": report.pk})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        evidence_services.evidence_create(school=school_a, criterion=_tt18("3.5"), by=principal_a, name=f"Thiết bị {n}")
    _start(client, school_a)
    row = EvidenceCarryOver.objects.filter(school=school_a).first()
    client.post(reverse("selfassessment:carry_forward_confirm", kwargs={"pk": report.pk}), {"ids": [row.pk]})
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
