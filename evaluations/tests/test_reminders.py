"""The pure reminder selection: every stage around the due date, catch-up, met deadlines, keys."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations import reminders as r

DUE = datetime.date(2026, 12, 20)
UNIT = 7


def deadline(audience=r.SCHOOL, schools=(1, 2, 3), due=DUE, ref="periodic:1"):
    return r.Deadline(ref=ref, due=due, unit_id=UNIT, audience=audience, school_ids=frozenset(schools))


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


def run(today, deadlines, met=None, sent=frozenset()):
    return r.due_reminders(today, deadlines, met or {}, sent)


def summary(reminders):
    return sorted(((x.school_id, x.kind, x.stage.days) for x in reminders), key=lambda row: (row[0] or 0, row[1:]))


@pytest.mark.parametrize(
    "offset, expected",
    [
        (-30, None), (-15, None),
        (-14, r.Stage(r.BEFORE, 14)), (-13, r.Stage(r.BEFORE, 14)), (-8, r.Stage(r.BEFORE, 14)),
        (-7, r.Stage(r.BEFORE, 7)), (-2, r.Stage(r.BEFORE, 7)),
        (-1, r.Stage(r.BEFORE, 1)), (0, r.Stage(r.BEFORE, 1)),
        (1, r.Stage(r.OVERDUE, 1)), (7, r.Stage(r.OVERDUE, 1)),
        (8, r.Stage(r.OVERDUE, 8)), (15, r.Stage(r.OVERDUE, 15)),
        (22, r.Stage(r.OVERDUE, 22)), (28, r.Stage(r.OVERDUE, 22)),
        (29, None), (60, None),
    ],
)
def test_current_stage_around_the_due_date(offset, expected):
    assert r.current_stage(DUE, day(offset)) == expected


def test_fourteen_days_before_reminds_every_school_not_yet_met():
    due = run(day(-14), [deadline()], met={"periodic:1": {2}})
    assert summary(due) == [(1, r.BEFORE, 14), (3, r.BEFORE, 14)]


def test_fifteen_days_before_is_too_early():
    assert run(day(-15), [deadline()]) == []


@pytest.mark.parametrize("offset, days", [(-14, 14), (-7, 7), (-1, 1)])
def test_each_before_stage_on_its_day(offset, days):
    due = run(day(offset), [deadline(schools=(1,))])
    assert summary(due) == [(1, r.BEFORE, days)]
    assert due[0].days_left(day(offset)) == days


def test_a_stage_sent_is_not_due_again_the_next_day():
    first = run(day(-7), [deadline(schools=(1,))])
    sent = {x.key for x in first}
    assert run(day(-6), [deadline(schools=(1,))], sent=sent) == []


def test_the_due_day_itself_sends_nothing_when_the_one_day_reminder_went_out():
    sent = {x.key for x in run(day(-1), [deadline(schools=(1,))])}
    assert run(day(0), [deadline(schools=(1,))], sent=sent) == []


def test_the_due_day_catches_up_a_missed_one_day_reminder():
    due = run(day(0), [deadline(schools=(1,))])
    assert summary(due) == [(1, r.BEFORE, 1)]
    assert due[0].days_left(day(0)) == 0


def test_the_day_after_sends_overdue_to_the_school_and_one_summary_to_the_district():
    due = run(day(1), [deadline(schools=(1, 2, 3))], met={"periodic:1": {3}})
    assert summary(due) == [(None, r.SUMMARY, 1), (1, r.OVERDUE, 1), (2, r.OVERDUE, 1)]
    (district,) = [x for x in due if x.school_id is None]
    assert district.late_school_ids == (1, 2)


def test_no_summary_when_every_school_met_the_deadline():
    assert run(day(1), [deadline(schools=(1, 2))], met={"periodic:1": {1, 2}}) == []


def test_overdue_repeats_weekly_to_the_school_only():
    due = run(day(8), [deadline(schools=(1,))])
    assert summary(due) == [(1, r.OVERDUE, 8)]


def test_overdue_stops_after_four_weeks():
    assert run(day(29), [deadline(schools=(1,))]) == []


def test_a_missed_day_is_caught_up_with_the_latest_stage_only():
    due = run(day(-5), [deadline(schools=(1,))])
    assert summary(due) == [(1, r.BEFORE, 7)]
    assert due[0].days_left(day(-5)) == 5


def test_district_deadline_reminds_the_unit_until_done():
    d = deadline(audience=r.DISTRICT, schools=(), ref="milestone:4")
    due = run(day(-7), [d])
    assert [(x.school_id, x.kind, x.stage.days) for x in due] == [(None, r.BEFORE, 7)]
    assert run(day(-7), [d], met={"milestone:4": {UNIT}}) == []
    assert summary(run(day(1), [d])) == [(None, r.OVERDUE, 1)]


def test_keys_name_deadline_due_date_recipient_kind_and_stage():
    (school,) = run(day(-14), [deadline(schools=(5,))])
    assert school.key == "periodic:1@2026-12-20:school:5:before:14"
    summary_row = [x for x in run(day(1), [deadline(schools=(5,))]) if x.school_id is None][0]
    assert summary_row.key == "periodic:1@2026-12-20:unit:7:summary:1"


def test_moving_the_due_date_starts_the_reminders_afresh():
    sent = {x.key for x in run(day(-4), [deadline(schools=(1,))])}
    assert len(sent) == 1
    moved = deadline(schools=(1,), due=DUE + datetime.timedelta(days=10))  # now 14 days ahead
    due = run(day(-4), [moved], sent=sent)
    assert summary(due) == [(1, r.BEFORE, 14)]


def test_results_are_ordered_by_due_date_then_deadline():
    later = deadline(ref="milestone:2", due=DUE + datetime.timedelta(days=3), schools=(1,))
    earlier = deadline(ref="periodic:9", schools=(1,))
    due = run(day(-7), [later, earlier])
    assert [x.deadline.ref for x in due] == ["periodic:9", "milestone:2"]


def test_unknown_audience_is_refused():
    with pytest.raises(ValueError):
        r.Deadline(ref="x", due=DUE, unit_id=1, audience="everyone")


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(min_value=-40, max_value=40),
    skipped=st.sets(st.integers(min_value=-40, max_value=60), max_size=30),
    met_on=st.one_of(st.none(), st.integers(min_value=-20, max_value=40)),
)
def test_a_daily_run_sends_each_stage_at_most_once_and_never_after_the_deadline_is_met(start, skipped, met_on):
    """Whatever days the job misses, no reminder is sent twice, at most one per day, none once met."""
    sent: set[str] = set()
    per_day: list[tuple[int, int]] = []
    for offset in range(start, 61):
        if offset in skipped:
            continue
        met = {"periodic:1": {1}} if met_on is not None and offset >= met_on else {}
        due = run(day(offset), [deadline(schools=(1,))], met=met, sent=sent)
        school_rows = [x for x in due if x.school_id == 1]
        assert len(school_rows) <= 1
        if met:
            assert due == []
        for x in due:
            assert x.key not in sent
            sent.add(x.key)
        per_day.extend((offset, x.stage.days) for x in school_rows)
    # Stages come in schedule order.
    order = [r.STAGES.index(r.Stage(r.BEFORE if o <= 0 else r.OVERDUE, d)) for o, d in per_day]
    assert order == sorted(order)


def test_running_every_day_sends_the_whole_schedule_once():
    sent: set[str] = set()
    log = []
    for offset in range(-20, 45):
        for x in run(day(offset), [deadline(schools=(1,))], sent=sent):
            sent.add(x.key)
            log.append((offset, x.school_id, x.kind, x.stage.days))
    assert log == [
        (-14, 1, r.BEFORE, 14), (-7, 1, r.BEFORE, 7), (-1, 1, r.BEFORE, 1),
        (1, 1, r.OVERDUE, 1), (1, None, r.SUMMARY, 1),
        (8, 1, r.OVERDUE, 8), (15, 1, r.OVERDUE, 15), (22, 1, r.OVERDUE, 22),
    ]
