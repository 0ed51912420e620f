"""Plausible dates in forms: a year typed as 0001, 1899 or 9999 is a slip of the keyboard.

A browser's date picker accepts any year, and PostgreSQL stores any. Each form bounds its date
fields with ``BoundedDateField`` (or ``bound_date_fields`` for a ModelForm's fields): a plan or a deadline lies in this century (2000-2100, the
bounds the evaluations and plan-tracking forms already use); an evidence document may be old (a
school's founding decision of 1965), so evidence dates start at 1900.

Every date is typed and shown dd/mm/yyyy (``DateInput``, a text box): a browser's own date picker
follows the browser's locale, not the page's, and showed mm/dd/yyyy on an English-language
Chromium. The fields accept dd/mm/yyyy and, for pasted or scripted values, ISO yyyy-mm-dd
(``INPUT_FORMATS``); they never read dd/mm the American way, whatever the active language.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _

CENTURY = (datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))
DOCUMENTS = (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
PLACEHOLDER = "dd/mm/yyyy"


class DateInput(forms.DateInput):
    """A date typed and shown dd/mm/yyyy (static/js/app.js pads "5/9/2024" to "05/09/2024")."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off",
                    "maxlength": "10", "data-date-input": ""}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    """A date field read as dd/mm/yyyy (or ISO), rendered with ``DateInput``."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        super().__init__(**kwargs)


def _message(bounds: tuple[datetime.date, datetime.date]) -> str:
    earliest, latest = bounds
    return _("Ngày phải từ %(earliest)s đến %(latest)s.") % {
        "earliest": f"{earliest:%d/%m/%Y}", "latest": f"{latest:%d/%m/%Y}",
    }


class BoundedDateField(DateField):
    """A date field refusing dates outside ``bounds`` (the message is built in the request's language)."""

    def __init__(self, *, bounds: tuple[datetime.date, datetime.date] = CENTURY, **kwargs):
        self.bounds = bounds
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", bounds[0].isoformat())
        self.widget.attrs.setdefault("max", bounds[1].isoformat())

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.bounds[0] <= value <= self.bounds[1]:
            raise forms.ValidationError(_message(self.bounds), code="date_range")


def bound_date_fields(form, names, *, bounds: tuple[datetime.date, datetime.date] = CENTURY) -> None:
    """Refuse dates outside ``bounds`` in the named fields of ``form`` (those it has), with one message."""
    earliest, latest = bounds
    message = _message(bounds)
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.validators = [*field.validators, MinValueValidator(earliest, message), MaxValueValidator(latest, message)]
        field.widget.attrs.setdefault("min", earliest.isoformat())
        field.widget.attrs.setdefault("max", latest.isoformat())
