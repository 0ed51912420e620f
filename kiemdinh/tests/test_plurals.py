"""Sentences with a count take the English plural form of that count; Vietnamese (one form) is unchanged."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from evaluations.services.reminding import _when
from home.integrations import DeadlineCell
from reviews.templatetags.reviews_tags import days_waiting
from selfassessment.templatetags.plan_tags import flag_badge
from selfassessment.tracking import flags


@pytest.mark.parametrize(("lang", "one", "three"), [
    ("en", "1 day overdue", "3 days overdue"),
    ("vi", "Quá hạn 1 ngày", "Quá hạn 3 ngày"),
])
def test_overdue_badge_takes_the_plural_of_the_days_late(lang, one, three):
    with translation.override(lang):
        assert f">{one}<" in flag_badge(flags.OVERDUE, None, 1)
        assert f">{three}<" in flag_badge(flags.OVERDUE, None, 3)


@pytest.mark.parametrize(("lang", "one", "three"), [
    ("en", "1 day left", "3 days left"),
    ("vi", "Còn 1 ngày", "Còn 3 ngày"),
])
def test_due_soon_badge_takes_the_plural_of_the_days_left(lang, one, three):
    today = timezone.localdate()
    with translation.override(lang):
        assert f">{one}<" in flag_badge(flags.DUE_SOON, today + datetime.timedelta(days=1))
        assert f">{three}<" in flag_badge(flags.DUE_SOON, today + datetime.timedelta(days=3))


@pytest.mark.parametrize(("lang", "texts"), [
    ("en", {1: "1 day left", 2: "2 days left", -1: "1 day overdue", -7: "7 days overdue"}),
    ("vi", {1: "Còn 1 ngày", 2: "Còn 2 ngày", -1: "Quá hạn 1 ngày", -7: "Quá hạn 7 ngày"}),
])
def test_reminder_wording_takes_the_plural_of_the_days(lang, texts):
    with translation.override(lang):
        assert {days: _when(days) for days in texts} == texts


@pytest.mark.parametrize(("lang", "late", "left"), [
    ("en", ["1 day overdue", "4 days overdue"], ["1 day left", "5 days left"]),
    ("vi", ["Quá hạn 1 ngày", "Quá hạn 4 ngày"], ["Còn 1 ngày", "Còn 5 ngày"]),
])
def test_dashboard_deadline_cell_takes_the_plural_of_the_days(lang, late, left):
    due = datetime.date(2026, 12, 20)
    with translation.override(lang):
        assert [DeadlineCell(due, "missing", -1).label, DeadlineCell(due, "missing", -4).label] == late
        assert [DeadlineCell(due, "pending", 1).label, DeadlineCell(due, "pending", 5).label] == left


@pytest.mark.parametrize(("lang", "one", "three"), [
    ("en", "waiting 1 day", "waiting 3 days"),
    ("vi", "chờ 1 ngày", "chờ 3 ngày"),
])
def test_review_queue_waiting_time_takes_the_plural_of_the_days(lang, one, three):
    now = timezone.now()
    with translation.override(lang):
        assert days_waiting(now - datetime.timedelta(days=1)) == one
        assert days_waiting(now - datetime.timedelta(days=3)) == three


# The catalog entries behind the other count sentences (views, services, checks, the import preview):
# English has a distinct singular and plural, Vietnamese the one text.
@pytest.mark.parametrize(("msgid", "params", "en_one", "en_many"), [
    ("Đã đánh dấu %(n)s thông báo là đã đọc.", {}, "Marked 1 notification as read.", "Marked 2 notifications as read."),
    ("Đã thêm %(n)s mốc theo lịch mặc định.", {}, "Added 1 milestone from the default schedule.",
     "Added 2 milestones from the default schedule."),
    ("Hội đồng có %(n)s thành viên; cần ít nhất %(min)s.", {"min": 7},
     "The council has 1 member; at least 7 are required.", "The council has 2 members; at least 7 are required."),
    ("Còn %(n)s tiêu chí chưa có kết quả đánh giá ngoài: %(list)s.", {"list": "1"},
     "1 criterion still has no external evaluation result: 1.", "2 criteria still have no external evaluation result: 1."),
    ("Đã thử %(n)s lần không thành công.", {}, "Failed after 1 attempt.", "Failed after 2 attempts."),
    ("%(n)s người nhận", {}, "1 recipient", "2 recipients"),
    ("%(n)s trường mới", {}, "1 new school", "2 new schools"),
    ("%(n)s phiên bản", {}, "1 version", "2 versions"),
])
def test_count_sentences_have_english_plurals_and_one_vietnamese_form(msgid, params, en_one, en_many):
    def say(n):
        return ngettext(msgid, msgid, n) % {"n": n, **params}

    with translation.override("en"):
        assert [say(1), say(2)] == [en_one, en_many]
    with translation.override("vi"):
        assert [say(1), say(2)] == [msgid % {"n": 1, **params}, msgid % {"n": 2, **params}]
