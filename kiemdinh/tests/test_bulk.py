"""kiemdinh.bulk.update_rows: the rows QuerySet.bulk_update would write, one prepared statement per row."""

import datetime

import pytest
from django.utils import timezone

from kiemdinh.bulk import update_rows
from selfassessment import services
from selfassessment.models import CriterionAssessment, IndicatorVerdict, Passage
from selfassessment.tests.factories import load_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(school_a, school_year, principal_a):
    load_catalog()
    return services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)


def _stored(model, pks, fields):
    return list(model.objects.filter(pk__in=pks).order_by("pk").values_list(*fields))


def test_update_rows_writes_what_bulk_update_writes(report, principal_a):
    """Texts, nullable booleans, a foreign key, a datetime and JSON, each row its own values; the
    same objects written by bulk_update give the same stored rows."""
    moment = timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 30, 15, 123456))
    passages = list(Passage.objects.filter(report=report).order_by("pk")[:5])
    verdicts = list(IndicatorVerdict.objects.filter(report=report).order_by("pk")[:3])
    assessments = list(CriterionAssessment.objects.filter(report=report).order_by("pk")[:2])

    def change(n):
        for i, p in enumerate(passages):
            p.text, p.revision, p.updated_by, p.updated_at = f"Đoạn {n}-{i} “trích” ' ; --", 10 * n + i, principal_a, moment
        for i, v in enumerate(verdicts):
            v.met, v.needs_review, v.updated_by = [True, False, None][(i + n) % 3], bool(n % 2), principal_a if n else None
        for i, a in enumerate(assessments):
            a.level, a.blockers = (i + n) % 3 or None, [{"code": "x", "level": n, "text": "Mức ‘2’"}]

    fields = {
        Passage: ["text", "revision", "updated_by", "updated_at"],
        IndicatorVerdict: ["met", "needs_review", "updated_by"],
        CriterionAssessment: ["level", "blockers"],
    }
    groups = {Passage: passages, IndicatorVerdict: verdicts, CriterionAssessment: assessments}
    change(1)
    for model, objs in groups.items():
        model.objects.bulk_update(objs, fields[model])
    expected = {model: _stored(model, [o.pk for o in objs], fields[model]) for model, objs in groups.items()}
    change(2)
    for model, objs in groups.items():
        model.objects.bulk_update(objs, fields[model])
    change(1)
    for model, objs in groups.items():
        assert update_rows(objs, fields[model]) == len(objs)
    assert {model: _stored(model, [o.pk for o in objs], fields[model]) for model, objs in groups.items()} == expected
    # Other rows and other fields are untouched.
    untouched = Passage.objects.exclude(pk__in=[p.pk for p in passages])
    assert not untouched.filter(updated_at=moment).exists()


def test_update_rows_refuses_unsaved_or_mixed_objects_and_key_fields(report):
    passage = Passage.objects.filter(report=report).first()
    verdict = IndicatorVerdict.objects.filter(report=report).first()
    assert update_rows([], ["text"]) == 0
    with pytest.raises(ValueError):
        update_rows([passage, verdict], ["updated_at"])
    with pytest.raises(ValueError):
        update_rows([Passage(report=report, key="x")], ["text"])
    with pytest.raises(ValueError):
        update_rows([passage], ["id"])
    with pytest.raises(ValueError):
        update_rows([passage], [])
