"""The deadline flag of an improvement action: the pure rule around today and the 14-day boundary,
and the SQL the counts use agreeing with it."""

import datetime

import pytest

from selfassessment.tracking import flags

TODAY = datetime.date(2026, 3, 10)


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


@pytest.mark.parametrize(("offset", "expected"), [
    (-365, flags.OVERDUE),
    (-1, flags.OVERDUE),       # yesterday's deadline has passed
    (0, flags.DUE_SOON),       # due today is not late yet
    (1, flags.DUE_SOON),
    (13, flags.DUE_SOON),
    (14, flags.DUE_SOON),      # today + 14 is the last "due soon" day
    (15, flags.ON_TRACK),
    (200, flags.ON_TRACK),
])
@pytest.mark.parametrize("status", ["not_started", "in_progress"])
def test_open_action_flag_follows_its_due_date(status, offset, expected):
    assert flags.action_flag(status=status, due_on=day(offset), today=TODAY) == expected


@pytest.mark.parametrize("status", ["done", "dropped"])
@pytest.mark.parametrize("offset", [-30, 0, 7, 30])
def test_finished_or_dropped_action_has_no_flag(status, offset):
    assert flags.action_flag(status=status, due_on=day(offset), today=TODAY) is None


def test_open_action_without_due_date_is_on_track():
    assert flags.action_flag(status="not_started", due_on=None, today=TODAY) == flags.ON_TRACK
    assert flags.action_flag(status="done", due_on=None, today=TODAY) is None


def test_the_boundary_moves_with_today_across_a_month_end():
    assert flags.due_soon_until(datetime.date(2026, 1, 25)) == datetime.date(2026, 2, 8)
    assert flags.action_flag(status="in_progress", due_on=datetime.date(2026, 2, 8), today=datetime.date(2026, 1, 25)) \
        == flags.DUE_SOON
    assert flags.action_flag(status="in_progress", due_on=datetime.date(2026, 2, 9), today=datetime.date(2026, 1, 25)) \
        == flags.ON_TRACK


def test_days_late_counts_whole_days_past_the_due_date():
    assert flags.days_late(due_on=day(-3), today=TODAY) == 3
    assert flags.days_late(due_on=day(0), today=TODAY) == 0
    assert flags.days_late(due_on=day(5), today=TODAY) == 0
    assert flags.days_late(due_on=None, today=TODAY) == 0


@pytest.mark.django_db
def test_the_counts_in_sql_agree_with_the_rule(report, principal_a):
    """Every status × due date around the boundaries, counted by the plan's SQL and by the pure rule."""
    from selfassessment.models import ImprovementAction
    from selfassessment.tracking import selectors

    from .factories import criterion

    target = criterion(report, "1.1")
    offsets = [None, -400, -1, 0, 1, 14, 15, 90]
    rows = []
    for status in ("not_started", "in_progress", "done", "dropped"):
        for offset in offsets:
            rows.append(ImprovementAction(
                report=report, criterion=target, action=f"{status} {offset}", status=status,
                due_on=None if offset is None else day(offset),
                dropped_reason="Không còn phù hợp" if status == "dropped" else "",
            ))
    ImprovementAction.objects.bulk_create(rows)
    expected = {flag: 0 for flag in flags.FLAGS}
    for row in rows:
        flag = flags.action_flag(status=row.status, due_on=row.due_on, today=TODAY)
        if flag:
            expected[flag] += 1
    counts = selectors.plan_counts(report, TODAY)
    assert (counts.overdue, counts.due_soon) == (expected[flags.OVERDUE], expected[flags.DUE_SOON])
    assert counts.open == 2 * len(offsets)
    assert (counts.done, counts.dropped) == (len(offsets), len(offsets))
    assert counts.oldest_overdue == day(-400)
    for flag in flags.FLAGS:
        page = selectors.plan_page(report, TODAY, flag=flag)
        assert page.shown == expected[flag], flag
        assert all(t.flag == flag for _s, groups in page.groups for g in groups for t in g.actions)
