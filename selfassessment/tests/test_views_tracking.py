"""The improvement-plan tracking pages: the school's plan, one action, the district roll-up, and the
summaries on the school's start page and the district dashboard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schools.models import School
from selfassessment import services
from selfassessment.models import ImprovementAction, ImprovementProgress, Report
from selfassessment.tracking import flags

from .factories import add_evidence, criterion

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _days(n: int) -> datetime.date:
    return _today() + datetime.timedelta(days=n)


def _plan(report, by, rows):
    """``rows``: (criterion number, text, due offset in days or None, status)."""
    created = []
    for number, text, due, status in rows:
        target = criterion(report, number)
        current = list(ImprovementAction.objects.filter(report=report, criterion=target))
        items = [{"id": a.pk, **{f: getattr(a, f) for f in services.ACTION_FIELDS}} for a in current]
        items.append({"id": None, "action": text, "due_on": None if due is None else _days(due),
                      "start_on": _days(-200 if due is None else min(due, -200))})
        saved = services.improvement_actions_save(report=report, criterion=target, items=items,
                                                  token=services.actions_token(current), by=by)[-1]
        if status != "not_started":
            ImprovementAction.objects.filter(pk=saved.pk).update(
                status=status, dropped_reason="Không còn phù hợp" if status == "dropped" else "")
        created.append(ImprovementAction.objects.get(pk=saved.pk))
    return created


@pytest.fixture
def plan(report, principal_a):
    return _plan(report, principal_a, [
        ("1.1", "Việc quá hạn", -5, "in_progress"),
        ("1.1", "Việc đến hạn", 3, "not_started"),
        ("1.2", "Việc còn hạn", 60, "not_started"),
        ("2.1", "Việc đã xong", -30, "done"),
        ("2.1", "Việc bỏ", 10, "dropped"),
    ])


def _url(school):
    return reverse("selfassessment:improvement_plan", args=[school.pk])


def _action_url(action, name="improvement_action_detail"):
    return reverse(f"selfassessment:{name}", args=[action.pk])


# --- The school's plan page -----------------------------------------------------------------------


def test_principal_sees_the_plan_grouped_by_criterion_with_counts_and_flags(client, principal_a, school_a, plan):
    client.force_login(principal_a)
    response = client.get(_url(school_a))
    assert response.status_code == 200
    page = response.context["page"]
    counts = page.counts
    assert (counts.open, counts.overdue, counts.due_soon, counts.done, counts.dropped) == (3, 1, 1, 1, 1)
    headings = [g.criterion.number for _s, groups in page.groups for g in groups]
    assert headings == ["1.1", "1.2", "2.1"]
    flags_by_text = {t.action.action: t.flag for _s, groups in page.groups for g in groups for t in g.actions}
    assert flags_by_text == {"Việc quá hạn": flags.OVERDUE, "Việc đến hạn": flags.DUE_SOON,
                             "Việc còn hạn": flags.ON_TRACK, "Việc đã xong": None, "Việc bỏ": None}
    content = response.content.decode()
    assert "Quá hạn 5 ngày" in content and "Còn 3 ngày" in content


@pytest.mark.parametrize(("query", "expected"), [
    ("flag=overdue", {"Việc quá hạn"}),
    ("flag=due_soon", {"Việc đến hạn"}),
    ("status=open", {"Việc quá hạn", "Việc đến hạn", "Việc còn hạn"}),
    ("status=dropped", {"Việc bỏ"}),
    ("status=bogus&flag=nonsense", {"Việc quá hạn", "Việc đến hạn", "Việc còn hạn", "Việc đã xong", "Việc bỏ"}),
])
def test_the_plan_filters_by_status_and_flag(client, principal_a, school_a, plan, query, expected):
    client.force_login(principal_a)
    page = client.get(f"{_url(school_a)}?{query}").context["page"]
    assert {t.action.action for _s, groups in page.groups for g in groups for t in g.actions} == expected
    assert page.counts.total == 5  # the counts at the top are always the whole plan's


def test_an_older_report_is_chosen_with_the_selector(client, principal_a, school_a, report, plan, last_year):
    old = services.report_create(school=school_a, school_year=last_year, kind="periodic", by=principal_a)
    _plan(old, principal_a, [("1.1", "Việc năm trước", -300, "done")])
    client.force_login(principal_a)
    current = client.get(_url(school_a))
    assert current.context["report"] == report and current.context["is_current"]
    older = client.get(f"{_url(school_a)}?report={old.pk}")
    assert older.context["report"] == old and not older.context["is_current"]
    assert older.context["page"].shown == 1
    # A report of another school in the selector's place is ignored: the school's current plan shows.
    assert client.get(f"{_url(school_a)}?report=999999").context["report"] == report


def test_a_school_without_report_gets_a_clear_empty_page(client, principal_b, school_b):
    client.force_login(principal_b)
    response = client.get(_url(school_b))
    assert response.status_code == 200
    assert "chưa có báo cáo tự đánh giá" in response.content.decode()


def test_another_schools_plan_and_actions_do_not_exist(client, principal_b, principal_c, school_a, plan):
    client.force_login(principal_b)  # same district, another school
    assert client.get(_url(school_a)).status_code == 404
    assert client.get(_action_url(plan[0])).status_code == 404
    response = client.post(_action_url(plan[0], "improvement_action_status"),
                           {"status": "done", "revision": plan[0].revision})
    assert response.status_code == 404
    client.force_login(principal_c)
    assert client.get(_action_url(plan[0])).status_code == 404


def test_the_plan_page_keeps_its_query_count_as_actions_grow(client, principal_a, school_a, report, plan):
    client.force_login(principal_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(school_a)).status_code == 200
        return len(captured)

    few = count()
    many = []
    for i in range(40):
        many.append(ImprovementAction(report=report, criterion=criterion(report, ("1.1", "1.3", "2.2", "2.3")[i % 4]),
                                      action=f"Việc {i}", due_on=_days(i - 20), status="in_progress"))
    ImprovementAction.objects.bulk_create(many)
    ImprovementProgress.objects.bulk_create([ImprovementProgress(action=a, date=_today(), text="x") for a in many])
    assert count() == few


# --- One action -----------------------------------------------------------------------------------


def test_the_principal_changes_the_status_on_a_submitted_report(client, principal_a, report, plan):
    Report.objects.filter(pk=report.pk).update(status="submitted")
    action = plan[1]
    client.force_login(principal_a)
    page = client.get(_action_url(action))
    assert page.context["can_track"]
    assert [t["status"] for t in page.context["transitions"]] == ["in_progress", "done", "dropped"]
    response = client.post(_action_url(action, "improvement_action_status"),
                           {"status": "in_progress", "revision": action.revision})
    assert response.status_code == 302
    assert ImprovementAction.objects.get(pk=action.pk).status == "in_progress"
    history = client.get(_action_url(action)).context["history"]
    assert [entry.text for entry in history] == ["Tình trạng: Chưa thực hiện → Đang thực hiện"]


def test_dropping_without_a_reason_says_why_and_changes_nothing(client, principal_a, plan):
    action = plan[1]
    client.force_login(principal_a)
    response = client.post(_action_url(action, "improvement_action_status"),
                           {"status": "dropped", "revision": action.revision, "reason": "  "})
    assert response.status_code == 400
    assert "Cần ghi lý do không thực hiện biện pháp." in response.content.decode()
    assert ImprovementAction.objects.get(pk=action.pk).status == "not_started"


def test_a_stale_form_is_refused_with_a_conflict_and_keeps_what_was_typed(client, principal_a, plan):
    action = plan[1]
    client.force_login(principal_a)
    client.post(_action_url(action, "improvement_action_status"), {"status": "in_progress", "revision": action.revision})
    response = client.post(_action_url(action, "improvement_action_update"), {
        "revision": action.revision, "responsible": "Người mới", "start_on": "", "due_on": "", "resources": "",
        "expected_result": "",
    })
    assert response.status_code == 409
    assert "vừa được" in response.content.decode()
    form = response.context["tracking_form"]
    assert form.data["responsible"] == "Người mới"
    assert form.data["revision"] == str(ImprovementAction.objects.get(pk=action.pk).revision)
    assert ImprovementAction.objects.get(pk=action.pk).responsible == ""


def test_start_after_due_is_a_form_error(client, principal_a, plan):
    action = plan[2]
    client.force_login(principal_a)
    response = client.post(_action_url(action, "improvement_action_update"), {
        "revision": action.revision, "responsible": "", "start_on": "2026-05-01", "due_on": "2026-04-01",
        "resources": "", "expected_result": "",
    })
    assert response.status_code == 400
    assert "không được trước ngày bắt đầu" in response.content.decode()


def test_a_progress_note_cites_evidence_by_code(client, principal_a, report, plan):
    items = add_evidence(report, "1.1", principal_a, count=2)
    action = plan[0]
    client.force_login(principal_a)
    response = client.post(_action_url(action, "improvement_progress_add"), {
        "date": _today().isoformat(), "text": "Đã hoàn thành bồi dưỡng đợt 1.",
        "evidence_codes": f"[{items[0].code}]; {items[1].code.lower()}",
    })
    assert response.status_code == 302
    note = ImprovementProgress.objects.get(action=action)
    assert set(note.evidence.all()) == set(items)
    page = client.get(_action_url(action))
    content = page.content.decode()
    assert "Đã hoàn thành bồi dưỡng đợt 1." in content and items[0].code in content


def test_an_unknown_evidence_code_or_a_future_date_is_a_clear_message(client, principal_a, plan):
    action = plan[0]
    client.force_login(principal_a)
    response = client.post(_action_url(action, "improvement_progress_add"), {
        "date": _today().isoformat(), "text": "x", "evidence_codes": "H9-9.9-99"})
    assert response.status_code == 400
    assert "H9-9.9-99" in response.content.decode()
    response = client.post(_action_url(action, "improvement_progress_add"), {
        "date": _days(2).isoformat(), "text": "x"})
    assert response.status_code == 400
    assert "không được sau hôm nay" in response.content.decode()
    assert not ImprovementProgress.objects.exists()


def test_district_staff_read_the_action_without_forms(client, reviewer, plan):
    action = plan[0]
    client.force_login(reviewer)
    response = client.get(_action_url(action))
    assert response.status_code == 200
    assert not response.context["can_track"] and response.context["track_reason"]
    content = response.content.decode()
    assert reverse("selfassessment:improvement_progress_add", args=[action.pk]) not in content
    assert client.post(_action_url(action, "improvement_progress_add"),
                       {"date": _today().isoformat(), "text": "x"}).status_code == 403


# --- The district roll-up -------------------------------------------------------------------------


def _bulk_schools(unit, report, count, start=0):
    """``count`` schools of ``unit`` with a report each and five actions: 2 overdue, 1 due soon, 1 done, 1 dropped."""
    schools = School.objects.bulk_create([
        School(code=f"RU-{unit.pk}-{start + i:03d}", name=f"Trường số {start + i}", level="thcs", reviewing_unit=unit)
        for i in range(count)
    ])
    reports = Report.objects.bulk_create([
        Report(school=s, school_year=report.school_year, regulation_version=report.regulation_version,
               regulation_date=report.regulation_date, status="accepted")
        for s in schools
    ])
    target = criterion(report, "1.1")
    shapes = [(-10, "in_progress"), (-3, "not_started"), (5, "not_started"), (-40, "done"), (0, "dropped")]
    ImprovementAction.objects.bulk_create([
        ImprovementAction(report=r, criterion=target, action="x", due_on=_days(due), status=status,
                          dropped_reason="lý do" if status == "dropped" else "")
        for r in reports for due, status in shapes
    ])
    return schools


def test_the_rollup_counts_each_schools_current_plan_most_late_first(client, reviewer, district, school_a, school_b,
                                                                     report, plan):
    client.force_login(reviewer)
    response = client.get(reverse("selfassessment:improvement_rollup"))
    assert response.status_code == 200
    rollup = response.context["rollup"]
    assert rollup.unit == district
    rows = {row.school.code: row for row in rollup.rows}
    a = rows[school_a.code].counts
    assert (a.open, a.overdue, a.due_soon, a.done, a.dropped, a.oldest_overdue) == (3, 1, 1, 1, 1, _days(-5))
    assert rows[school_b.code].report is None and rows[school_b.code].counts.total == 0
    assert [r.school.code for r in rollup.rows][0] == school_a.code
    assert rollup.late_schools == 1
    more = _bulk_schools(district, report, 1)
    rollup = client.get(reverse("selfassessment:improvement_rollup")).context["rollup"]
    assert [r.school.code for r in rollup.rows][:2] == [more[0].code, school_a.code]  # 2 overdue before 1
    content = client.get(reverse("selfassessment:improvement_rollup")).content.decode()
    assert _url(school_a) in content


def test_a_newer_report_replaces_the_old_plan_in_the_rollup(client, reviewer, school_a, report, plan, principal_a):
    later = services.report_create(
        school=school_a, school_year=type(report.school_year).objects.create(
            code="2025-2026", start_date=datetime.date(2025, 9, 5), end_date=datetime.date(2026, 5, 31)),
        kind="periodic", by=principal_a)
    client.force_login(reviewer)
    rows = {r.school.code: r for r in client.get(reverse("selfassessment:improvement_rollup")).context["rollup"].rows}
    assert rows[school_a.code].report == later and rows[school_a.code].counts.total == 0


def test_district_staff_see_their_unit_the_department_chooses(client, other_reviewer, officer, district,
                                                              other_district, plan):
    client.force_login(other_reviewer)
    response = client.get(f"{reverse('selfassessment:improvement_rollup')}?unit={district.pk}")
    assert response.context["unit"] == other_district  # not theirs: their own unit instead
    client.force_login(officer)
    response = client.get(f"{reverse('selfassessment:improvement_rollup')}?unit={district.pk}")
    assert response.context["unit"] == district
    assert {u.pk for u in response.context["units"]} >= {district.pk, other_district.pk}


def test_schools_cannot_open_the_rollup(client, principal_a):
    client.force_login(principal_a)
    assert client.get(reverse("selfassessment:improvement_rollup")).status_code == 403


def test_the_rollup_keeps_its_query_count_from_5_to_60_schools(client, reviewer, district, report, plan):
    client.force_login(reviewer)
    url = reverse("selfassessment:improvement_rollup")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _bulk_schools(district, report, 5)
    few = count()
    _bulk_schools(district, report, 55, start=5)
    many = count()
    assert few == many
    rollup = client.get(url).context["rollup"]
    assert rollup.late_schools == 61 and rollup.totals.overdue == 60 * 2 + 1


# --- Summaries on other pages ---------------------------------------------------------------------


def test_the_school_start_page_shows_the_plans_deadlines(client, principal_a, plan):
    client.force_login(principal_a)
    content = client.get(reverse("schools:school_home")).content.decode()
    assert "1 quá hạn" in content and "1 đến hạn trong 14 ngày" in content
    assert _url(plan[0].report.school) in content


def test_the_district_dashboard_says_who_is_late(client, reviewer, district, report, plan):
    _bulk_schools(district, report, 2)
    client.force_login(reviewer)
    content = client.get(reverse("reviews:district_dashboard")).content.decode()
    assert "Kế hoạch cải tiến: 5 biện pháp quá hạn ở 3 trường." in content
    assert reverse("selfassessment:improvement_rollup") in content


HOSTILE = [
    {},
    {"status": "done", "revision": "-1"},
    {"status": "dropped", "revision": "abc", "reason": "x" * 100_000},
    {"status": "done", "revision": "0", "done_on": "2024-02-31"},
    {"status": "done", "revision": "0", "done_on": "0001-01-01"},
    {"revision": "0", "start_on": "9999-12-31", "due_on": "0000-00-00", "responsible": "\x00\u202e" * 300},
    {"revision": str(2**40), "responsible": "x"},
    {"date": "2024-13-01", "text": "\x00"},
    {"date": "9999-12-31", "text": "😀" * 5000, "evidence_codes": "; ".join(f"H1-1.1-{i:02d}" for i in range(1, 60))},
]


# Posted to the tracking form (which reads only its own fields), these two are a valid form made from
# an older revision of the action, which the fixture has saved since: a concurrent change, 409.
# Everything else is invalid data, 400 (a revision newer than the stored one included).
STALE_TRACKING = [HOSTILE[3], HOSTILE[4]]


@pytest.mark.parametrize("name", ["improvement_action_status", "improvement_action_update", "improvement_progress_add"])
@pytest.mark.parametrize("data", HOSTILE)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, principal_a, plan, name, data):
    action = plan[1]
    before = list(ImprovementAction.objects.filter(pk=action.pk).values())
    client.force_login(principal_a)
    response = client.post(_action_url(action, name), data)
    expected = 409 if name == "improvement_action_update" and data in STALE_TRACKING else 400
    assert expected == 400 or action.revision > 0  # stale only because the action was saved since revision 0
    assert response.status_code == expected
    assert list(response.context["messages"])
    assert list(ImprovementAction.objects.filter(pk=action.pk).values()) == before
    assert not ImprovementProgress.objects.filter(action=action).exists()
