"""The default round schedule reproduces the Long Biên 2016-2017 round 1 dates."""

import datetime

from evaluations import schedule

D = datetime.date


def test_round_one_of_the_long_bien_letter():
    dates = {step.key: due for step, due in schedule.default_schedule(D(2017, 1, 9))}
    assert dates["school_submit_dossier"] == D(2017, 1, 9)
    assert dates["school_receive_comments"] == D(2017, 1, 16)
    assert dates["school_resubmit"] == D(2017, 1, 18)
    assert dates["school_prepare_visit"] == D(2017, 1, 25)
    assert dates["district_review_dossiers"] == D(2017, 1, 18)
    assert dates["district_letter_to_department"] == D(2017, 1, 19)
    assert dates["district_report_committee"] == D(2017, 1, 19)


def test_every_step_has_an_owner_and_a_unique_key():
    keys = [step.key for step in schedule.DEFAULT_STEPS]
    assert len(keys) == len(set(keys))
    assert {step.owner for step in schedule.DEFAULT_STEPS} == {schedule.SCHOOL, schedule.DISTRICT}
