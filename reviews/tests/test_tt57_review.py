"""A TT57/2026 report (Biểu 1) through the review: what its versions freeze, the comments per
standard, and the version diff in the report's own terms (levels, standards, Phần I/III, data form)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reviews import services, snapshot
from reviews.models import CommentThread, ReportVersion
from reviews.services import WorkflowError
from reviews.tests import factories
from selfassessment import services as sa
from selfassessment import tt57_services
from selfassessment.models import Passage, Report
from standards.models import Criterion, Standard

# One world for the module (reviews/tests/conftest.py), with school A's finished TT57 report on top.
pytestmark = pytest.mark.usefixtures("complete_world")


@pytest.fixture(scope="module")
def tt57_world(complete_world, django_db_blocker) -> int:
    """School A's TT57 report, written once for the module inside ``complete_world``'s transaction."""
    from django.utils import translation

    with django_db_blocker.unblock(), translation.override("vi"):
        return _tt57_written(complete_world["school_a"], complete_world["principal_a"]).pk


@pytest.fixture
def tt57_report(tt57_world, db):
    return factories.reload(Report.objects.get(pk=tt57_world))


def _tt57_written(school_a, principal_a) -> Report:
    from schools.tests.factories import SchoolYearFactory
    from standards.services import DATA_DIR, catalogs_load

    catalogs_load(paths=[DATA_DIR / "tt57_2026.json"])
    year = SchoolYearFactory(code="2026-2027", start_date=datetime.date(2026, 9, 5), end_date=datetime.date(2027, 5, 31))
    report = sa.report_create(school=school_a, school_year=year, kind="periodic", by=principal_a,
                              today=datetime.date(2026, 10, 1))
    # Finished as a school finishes it (it passes the submission gate), then the texts the tests read.
    report = factories.complete_tt57(report, principal_a)
    factories.write(report, "overview:context_local", "Phường có 12 000 dân, kinh tế dịch vụ.", principal_a)
    factories.write(report, "indicator:1.1:1:a", "Nhà trường có kế hoạch chiến lược (MC.1.1.01).", principal_a)
    factories.write(report, "standard:1:strengths", "Kế hoạch rõ ràng, được công khai.", principal_a)
    factories.write(report, "standard:1:weaknesses", "Việc rà soát kế hoạch chưa thường xuyên.", principal_a)
    factories.write(report, "conclusion", "Nhà trường đạt Mức 1.", principal_a)
    factories.write(report, "proposal:managing_body", "Đề nghị bổ sung biên chế giáo viên.", principal_a)
    form = tt57_services.data_form(report)
    tt57_services.data_form_save(report=report, header=form.header, cells={("classes_total", "2026-2027"): "20"},
                                 base_revision=form.revision, by=principal_a)
    return factories.reload(report)


def _submit(report, by) -> ReportVersion:
    return services.report_submit(report=factories.reload(report), by=by)


def _return(report, reviewer, reason: str) -> None:
    report = factories.reload(report)
    if report.status == "submitted":
        services.report_start_review(report=report, by=reviewer)
    services.report_return(report=factories.reload(report), by=reviewer, reason=reason)


def _standard(report, number: int) -> Standard:
    return Standard.objects.get(version=report.regulation_version, number=number)


def test_a_tt57_version_freezes_biểu_1_texts_and_the_data_form(tt57_report, principal_a):
    version = _submit(tt57_report, principal_a)
    data = version.data
    assert snapshot.is_tt57(data)
    assert data["tt57"]["overview"]["context_local"] == "Phường có 12 000 dân, kinh tế dịch vụ."
    first = data["tt57"]["standards"][0]
    assert first["number"] == 1 and first["strengths"] == "Kế hoạch rõ ràng, được công khai."
    assert data["tt57"]["proposals"]["managing_body"] == "Đề nghị bổ sung biên chế giáo viên."
    rows = {row["key"]: row for row in data["tt57"]["data_form"]["rows"]}
    years = data["tt57"]["data_form"]["years"]
    assert years[-1] == "2026-2027" and rows["classes_total"]["values"][-1] == "20"
    assert version.verify()
    # The passages a reviewer may comment on are the TT57 texts (no 2018 introduction or plan parts).
    keys = [p.key for p in snapshot.passages(data)]
    assert "overview:context_local" in keys and "standard:1:strengths" in keys and "proposal:managing_body" in keys
    assert "introduction" not in keys and "plan:purpose" not in keys and "criterion:1.1:strengths" not in keys


def test_a_2018_version_has_no_tt57_part(report, principal_a):
    version = _submit(report, principal_a)
    assert "tt57" not in version.data and not snapshot.is_tt57(version.data)
    assert "introduction" in [p.key for p in snapshot.passages(version.data)]


def test_the_diff_shows_levels_standards_phan_i_iii_and_the_data_form(tt57_report, principal_a, reviewer):
    _submit(tt57_report, principal_a)
    _return(tt57_report, reviewer, "Cần sửa Tiêu chuẩn 1.")
    report = factories.reload(tt57_report)
    factories.write(report, "indicator:1.1:1:a", "Nhà trường có kế hoạch chiến lược giai đoạn 2025-2030 (MC.1.1.01).",
                    principal_a)
    factories.write(report, "standard:1:weaknesses", "Việc rà soát kế hoạch chưa thường xuyên; đã bổ sung lịch rà soát.",
                    principal_a)
    factories.write(report, "overview:context_local", "Phường có 13 000 dân, kinh tế dịch vụ.", principal_a)
    factories.write(report, "proposal:commune", "Đề nghị hỗ trợ sửa chữa phòng học.", principal_a)
    form = tt57_services.data_form(report)
    tt57_services.data_form_save(report=report, header=form.header, cells={("classes_total", "2026-2027"): "21"},
                                 base_revision=form.revision, by=principal_a)
    _submit(report, principal_a)

    old, new = (ReportVersion.objects.get(report=report, number=n) for n in (1, 2))
    from reviews import diff

    compared = {s.key: s for s in diff.compare_sections(snapshot.sections(old.data), snapshot.sections(new.data))}
    changed = {key for key, s in compared.items() if s.changed}
    assert {"criterion:1.1", "standard:1", "overview", "part3", "dataform"} <= changed
    assert "criterion:1.2" not in changed and "standard:2" not in changed
    level = next(f for f in compared["criterion:1.1"].fields if f.changed)
    assert level.label == "Mức 1 – Mô tả hiện trạng" and '<ins class="diff-ins">' in level.right
    weakness = next(f for f in compared["standard:1"].fields if f.changed)
    assert weakness.key == "weaknesses" and "Điểm hạn chế" in weakness.label
    assert [f.key for f in compared["part3"].fields if f.changed] == ["proposal:commune"]

    page = pytest.importorskip("django.test").Client()
    page.force_login(reviewer)
    html = page.get(reverse("reviews:version_compare", args=[report.pk]) + "?a=1&b=2&changed_only=on").content.decode()
    assert "Đánh giá chung về Tiêu chuẩn 1" in html and "Phần I – Tổng quan" in html
    assert "Phần IV – Biểu số liệu" in html and "Mức 1 – Mô tả hiện trạng" in html
    assert "Tiêu chí 1.2" not in html  # unchanged sections are left out by default
    # Version 2's page marks the changed general assessment of Tiêu chuẩn 1 (only it) in its contents.
    version_page = page.get(reverse("reviews:version_detail", args=[report.pk, 2])).content.decode()
    toc = version_page.split('aria-label="Mục lục phiên bản"', 1)[1].split("</nav>", 1)[0]
    marked = [part.split('"', 1)[0] for part in toc.split('href="#sa-')[1:] if "Δ" in part.split("</li>", 1)[0]]
    assert marked == ["1"]


def _post_thread(client, report, **data):
    return client.post(reverse("reviews:thread_create", args=[report.pk]), {"version": 1, **data})


def test_a_reviewer_comments_on_a_whole_standard_and_the_school_marks_it_fixed(client, tt57_report, principal_a,
                                                                              reviewer):
    _submit(tt57_report, principal_a)
    standard = _standard(tt57_report, 1)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:version_detail", args=[tt57_report.pk, 1])).content.decode()
    assert "Đánh giá chung về Tiêu chuẩn 1" in page and f'name="standard" value="{standard.pk}"' in page
    assert "Kế hoạch rõ ràng, được công khai." in page and "Đề nghị bổ sung biên chế giáo viên." in page

    response = _post_thread(client, tt57_report, text="Điểm hạn chế chưa nêu nguyên nhân cốt lõi.", standard=standard.pk)
    assert response.status_code == 302
    thread = CommentThread.objects.get(report=tt57_report)
    assert thread.standard == standard and thread.criterion is None and thread.scope_label == "Tiêu chuẩn 1"
    page = client.get(reverse("reviews:version_detail", args=[tt57_report.pk, 1])).content.decode()
    card = page.split('id="sa-1"', 1)[1].split("</article>", 1)[0]
    assert f'id="thread-{thread.pk}"' in card and "Điểm hạn chế chưa nêu nguyên nhân cốt lõi." in card

    # A passage of the standard's assessment is commented on with a quote, like any passage.
    response = _post_thread(client, tt57_report, text="Nêu rõ tần suất.", passage_key="standard:1:weaknesses",
                            quote="chưa thường xuyên")
    assert response.status_code == 302
    quoted = CommentThread.objects.get(report=tt57_report, passage_key="standard:1:weaknesses")
    assert quoted.passage_label.startswith("Tiêu chuẩn 1 – 2. Điểm hạn chế")

    # The school sees it (report page, standard page of its editor) and marks it fixed.
    _return(tt57_report, reviewer, "Sửa Tiêu chuẩn 1.")
    client.force_login(principal_a)
    detail = client.get(reverse("reviews:report_detail", args=[tt57_report.pk])).content.decode()
    assert "Tiêu chuẩn 1" in detail and "Điểm hạn chế chưa nêu nguyên nhân cốt lõi." in detail
    editor = client.get(reverse("selfassessment:tt57_standard", args=[tt57_report.pk, standard.pk])).content.decode()
    assert "Điểm hạn chế chưa nêu nguyên nhân cốt lõi." in editor
    response = client.post(reverse("reviews:thread_mark_fixed", args=[thread.pk]),
                           {"text": "Đã bổ sung nguyên nhân.", "next": "report"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_fixed


def test_standard_comments_are_refused_when_they_point_elsewhere(client, tt57_report, report, principal_a, reviewer):
    _submit(tt57_report, principal_a)
    client.force_login(reviewer)
    other = Standard.objects.exclude(version=tt57_report.regulation_version).first()
    response = _post_thread(client, tt57_report, text="Góp ý", standard=other.pk)
    assert response.status_code == 400 and "Tiêu chuẩn không thuộc bộ tiêu chuẩn của báo cáo." in response.content.decode()
    standard = _standard(tt57_report, 1)
    criterion = Criterion.objects.get(standard=standard, number="1.1")
    with pytest.raises(WorkflowError, match="không kèm tiêu chí"):
        services.thread_open(report=tt57_report, by=reviewer, text="Góp ý", standard=standard, criterion=criterion)
    with pytest.raises(WorkflowError, match="không kèm tiêu chí"):
        services.thread_open(report=tt57_report, by=reviewer, text="Góp ý", standard=standard,
                             passage_key="standard:1:strengths")
    response = _post_thread(client, tt57_report, text="Góp ý", standard="abc")
    assert response.status_code == 400
    assert not CommentThread.objects.filter(report=tt57_report).exists()
    # A thread of a standard cannot point at a criterion as well, whatever writes it.
    from django.core.exceptions import ValidationError

    version = ReportVersion.objects.get(report=tt57_report)
    bad = CommentThread(report=tt57_report, version=version, standard=standard, criterion=criterion,
                        last_activity_at=version.created_at)
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_a_2018_report_takes_no_standard_thread(report, principal_a, reviewer):
    _submit(report, principal_a)
    standard = Standard.objects.get(version=report.regulation_version, number=1)
    with pytest.raises(WorkflowError, match="Thông tư 57/2026"):
        services.thread_open(report=report, by=reviewer, text="Góp ý", standard=standard)
    assert not CommentThread.objects.filter(report=report).exists()


def test_version_page_queries_do_not_grow_with_standard_threads(client, tt57_report, principal_a, reviewer,
                                                                django_assert_max_num_queries):
    _submit(tt57_report, principal_a)
    url = reverse("reviews:version_detail", args=[tt57_report.pk, 1])
    client.force_login(reviewer)
    services.thread_open(report=tt57_report, by=reviewer, text="Một", standard=_standard(tt57_report, 1))
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for number in (2, 3, 4):
        services.thread_open(report=tt57_report, by=reviewer, text=f"Góp ý {number}", standard=_standard(tt57_report, number))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_passage_keys_are_those_of_the_live_report(tt57_report, principal_a):
    """Each TT57 passage of a version is named by the key of the live report's passage (so the
    school's editor finds the text a comment points at)."""
    version = _submit(tt57_report, principal_a)
    live = set(Passage.objects.filter(report=tt57_report).values_list("key", flat=True))
    frozen = {p.key for p in snapshot.passages(version.data)}
    assert frozen <= live


# --- Biểu 2 travels with the report -------------------------------------------------------------


def test_biểu_2_is_frozen_with_the_version_and_its_changes_show_in_the_diff(client, tt57_report, principal_a, reviewer):
    from selfassessment import plan57
    from selfassessment import services_plan57 as p57

    plan = p57.plan_create(report=factories.reload(tt57_report), by=principal_a)
    for issue in list(plan.issues.all()):  # the pre-filled rows: this test writes its own table IV
        p57.issue_delete(issue=issue, revision=None, by=principal_a)
    first = p57.issue_save(plan=plan, values={"standard": _standard(tt57_report, 1), "criteria": "1.1",
                                              "weakness": "Rà soát kế hoạch chưa thường xuyên.", "cause": "Thiếu lịch."},
                           by=principal_a)
    second = p57.issue_save(plan=plan, values={"standard": _standard(tt57_report, 2), "weakness": "Thiếu giáo viên Tin."},
                            by=principal_a)
    action = p57.action_save(plan=plan, values={"issue": first, "content": "Lập lịch rà soát kế hoạch hằng quý.",
                                                "responsible": "Hiệu trưởng", "start_on": datetime.date(2026, 11, 1),
                                                "end_on": datetime.date(2027, 5, 31)}, by=principal_a)
    v1 = _submit(tt57_report, principal_a)
    frozen = v1.data["plan57"]
    assert frozen == plan57.snapshot_data(plan57.plan_for_report(factories.reload(tt57_report)))
    assert [a["content"] for a in frozen["actions"]] == ["Lập lịch rà soát kế hoạch hằng quý."]

    client.force_login(reviewer)
    page = client.get(reverse("reviews:version_detail", args=[tt57_report.pk, 1])).content.decode()
    section = page.split('id="plan57"', 1)[1].split("</section>", 1)[0]
    assert "Lập lịch rà soát kế hoạch hằng quý." in section and "Thiếu giáo viên Tin." in section
    assert "01/11/2026 – 31/05/2027" in section

    _return(tt57_report, reviewer, "Biểu 2: thêm chỉ số.")
    action.refresh_from_db()
    p57.action_save(plan=plan, action=action, revision=action.revision, by=principal_a,
                    values={"issue": first, "content": "Lập lịch rà soát kế hoạch hằng tháng.",
                            "indicator": "12 biên bản rà soát", "responsible": "Hiệu trưởng",
                            "start_on": datetime.date(2026, 11, 1), "end_on": datetime.date(2027, 5, 31)})
    p57.issue_delete(issue=second, revision=None, by=principal_a)
    v2 = _submit(tt57_report, principal_a)

    from reviews import diff

    compared = {s.key: s for s in diff.compare_sections(snapshot.sections(v1.data), snapshot.sections(v2.data))}
    row = compared[f"plan57:action:{action.pk}"]
    assert row.status == "changed"
    assert {f.key for f in row.fields if f.changed} == {"content", "indicator"}
    assert compared[f"plan57:issue:{second.pk}"].status == "removed"
    assert compared[f"plan57:issue:{first.pk}"].status == "same"
    html = client.get(reverse("reviews:version_compare", args=[tt57_report.pk]) + "?a=1&b=2&changed_only=on").content.decode()
    assert "Biểu 2 – V. Nội dung cải tiến 1" in html
    assert 'hằng <del class="diff-del">quý</del>' in html and 'hằng <ins class="diff-ins">tháng</ins>' in html
    assert "Biểu 2 – IV. Vấn đề trọng tâm 2" in html


def test_the_school_reads_open_standard_comments_on_its_biểu_2_page(client, tt57_report, principal_a, reviewer):
    """Biểu 2 chooses its priority issues per standard: its page lists the open comments on the standards."""
    _submit(tt57_report, principal_a)
    services.thread_open(report=tt57_report, by=reviewer, text="Tiêu chuẩn 2 thiếu phân tích xu hướng.",
                         standard=_standard(tt57_report, 2))
    services.thread_open(report=tt57_report, by=reviewer, text="Mô tả Mức 1 chưa rõ.", passage_key="indicator:1.1:1:a")
    closed = services.thread_open(report=tt57_report, by=reviewer, text="Đã ổn.", standard=_standard(tt57_report, 3))
    services.thread_resolve(thread=closed, by=reviewer)
    client.force_login(principal_a)
    page = client.get(reverse("selfassessment:plan57", args=[tt57_report.pk])).content.decode()
    assert "Tiêu chuẩn 2:</span> Tiêu chuẩn 2 thiếu phân tích xu hướng." in page
    assert "Mô tả Mức 1 chưa rõ." not in page and "Đã ổn." not in page
