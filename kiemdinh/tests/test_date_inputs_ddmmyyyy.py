"""Issue 18 item 9 (a): every date box is typed and shown dd/mm/yyyy, whatever the browser's locale.

A browser's own date picker (``type="date"``) follows the browser's language, so an English-language
Chromium showed mm/dd/yyyy on a Vietnamese page. Every date field of every form is a text box with
a dd/mm/yyyy placeholder that reads 05/09/2024 as 5 September, in any active language.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kiemdinh.dates import DateInput

MODULES = [
    "evaluations.forms", "evidence.forms", "exports.forms", "notifications.forms", "reviews.forms",
    "schools.forms", "selfassessment.forms", "selfassessment.tracking.forms", "selfassessment.views_tt57",
    "standards.forms",
]


def _date_fields():
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField):
                        found.append(pytest.param(field, id=f"{cls.__name__}.{field_name}"))
    return found


DATE_FIELDS = _date_fields()


def test_the_forms_have_date_fields_to_check():
    assert len(DATE_FIELDS) >= 15


@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("language", ["vi", "en", None])
def test_each_date_field_reads_day_month_year_in_any_language(field, language):
    with translation.override(language):
        assert field.clean("05/09/2024") == datetime.date(2024, 9, 5)
        assert field.clean("2024-09-05") == datetime.date(2024, 9, 5)
        with pytest.raises(forms.ValidationError):
            field.clean("09/25/2024")  # month 25: never read the American way


@pytest.mark.parametrize("field", DATE_FIELDS)
def test_each_date_field_renders_a_text_box_showing_day_month_year(field):
    assert isinstance(field.widget, DateInput)
    html = field.widget.render("d", datetime.date(2024, 9, 5))
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="05/09/2024"' in html
    assert 'placeholder="dd/mm/yyyy"' in html


def test_no_template_writes_a_browser_date_picker_by_hand():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if 'type="date"' in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_the_hand_written_plan_row_shows_its_dates_day_month_year():
    from selfassessment.forms import ImprovementActionForm

    form = ImprovementActionForm(initial={"start_on": datetime.date(2025, 9, 5), "due_on": datetime.date(2026, 1, 31)})
    html = render_to_string("selfassessment/partials/_action_row.html", {"form": form})
    assert 'value="05/09/2025"' in html and 'value="31/01/2026"' in html
    assert html.count('placeholder="dd/mm/yyyy"') == 2
