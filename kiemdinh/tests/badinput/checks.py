"""Reading a response as the person sees it, and snapshots of rows to prove nothing was half-saved."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.html
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection

# Letters only Vietnamese (among the project's two languages) writes: a message with none of them,
# once the user's own input is taken out of it, is not Vietnamese.
VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
# Fragments of Django's and Python's English messages: seeing one means a message escaped translation.
ENGLISH = re.compile(
    r"This field|Enter a |Ensure this|Ensure that|Select a valid|is not a valid|Null characters|ManagementForm|"
    r"Please submit|Please correct|Constraint “|is violated|already exists|The submitted|No file was|"
    r"Traceback|Exception|Error:|invalid literal|out of range|Upload a valid|characters \(it has",
)
ERROR_CLASSES = ("invalid-feedback", "alert-danger", "errorlist", "alert-error", "alert-warning")
PAGE_ERROR_CLASSES = ("alert-secondary",)  # the 404 page


def _by_class(tree, name: str):
    return tree.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


class Seen:
    """What a response tells the person: its error messages, its success messages, its language."""

    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.errors: list[str] = []
        self.import_rows: list[list[str]] = []
        self.successes: list[str] = []
        self.lang = ""
        for message in get_messages(response.wsgi_request):
            text = " ".join(str(message).split())
            if message.level >= message_levels.WARNING:
                self.errors.append(text)
            elif message.level == message_levels.SUCCESS:
                self.successes.append(text)
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            body = json.loads(response.content.decode())
            if isinstance(body, dict) and body.get("status") not in (None, "saved", "ok", "reviewed"):
                self.errors.append(str(body.get("message", "")))
            elif isinstance(body, dict) and body.get("status") in ("saved", "ok", "reviewed"):
                self.successes.append(str(body.get("status")))
        elif "html" in content_type and response.content and not getattr(response, "streaming", False):
            tree = lxml.html.fromstring(response.content.decode())
            self.lang = tree.get("lang", "")
            for name in ERROR_CLASSES + (PAGE_ERROR_CLASSES if self.status >= 400 else ()):
                for element in _by_class(tree, name):
                    text = " ".join(element.text_content().split())
                    if text:
                        self.errors.append(text)
            # An import's errors, one table row each: (row, column or place, message).
            for tr in tree.xpath('//table[@id="import-errors"]/tbody/tr'):
                cells = [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
                if cells:
                    self.import_rows.append(cells)
                    self.errors.append(cells[-1])
            # Messages rendered in the page (a re-rendered form after a refused save).
            for element in _by_class(tree, "alert-success"):
                text = " ".join(element.text_content().split())
                if text:
                    self.successes.append(text)

    @property
    def accepted(self) -> bool:
        """The write went through: a redirect or JSON with a success message and no error."""
        return self.status in (200, 302) and bool(self.successes) and not self.errors

    def describe(self) -> str:
        return f"status {self.status}, errors {self.errors!r}, successes {self.successes!r}"


# Django messages its own Vietnamese catalog leaves in English (Django 5.2) that a form here can
# give. The project catalog, locale/vi/LC_MESSAGES/django.po, translates them (checked by
# test_django_messages_our_forms_can_give_are_translated), so no message is tolerated in English.
DJANGO_MESSAGES_WITHOUT_VIETNAMESE = [
    "Null characters are not allowed.",
    "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to "
    "file a bug report if the issue persists.",
    ("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    # The forms say these three in their own words (a person using the page normally can reach them):
    "Constraint “%(name)s” is violated.",
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "“%(pk)s” is not a valid value.",
]


def _strip_inputs(message: str, inputs: Iterable[str]) -> str:
    """The message without the user's own input echoed in it (their input may be Vietnamese)."""
    text = " ".join(html.unescape(message).split())
    for value in sorted({v for v in inputs if v}, key=len, reverse=True):
        for form in {value, " ".join(value.split()), html.unescape(value)}:
            if form.strip():
                text = text.replace(form.strip(), " ")
    return text


def is_vietnamese(message: str, inputs: Iterable[str] = ()) -> bool:
    text = _strip_inputs(message, inputs)
    return bool(VIETNAMESE_LETTERS & set(text)) and not ENGLISH.search(text)


def posted_strings(data: dict) -> list[str]:
    """Every string that was posted, to take out of the messages before judging their language."""
    found: list[str] = []
    for value in data.values():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "name"):
                found.append(str(item.name))
    return found


def assert_refusal_is_clear(seen: Seen, data: dict, *, where: str) -> None:
    """A refused post shows at least one message, every message Vietnamese, on a Vietnamese page."""
    assert seen.errors, f"{where}: refused ({seen.describe()}) without any message saying why"
    inputs = posted_strings(data)
    english = [e for e in seen.errors if not is_vietnamese(e, inputs)]
    assert not english, f"{where}: messages not in Vietnamese: {english!r}"
    if seen.lang:
        assert seen.lang == "vi", f"{where}: page language is {seen.lang!r}"


def assert_form_errors_vietnamese(form, data: dict, *, where: str) -> None:
    inputs = posted_strings(data)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    assert errors, f"{where}: the form is invalid but says nothing"
    english = [e for e in errors if not is_vietnamese(e, inputs)]
    assert not english, f"{where}: form errors not in Vietnamese: {english!r}"


@dataclass(frozen=True)
class TableDigest:
    """A table as PostgreSQL reads it: its row count and an MD5 of every row, every column, in key order."""

    rows: int
    md5: str


def snapshot(*models) -> dict:
    """Every row of the models, every column: compared before and after a refused post.

    On PostgreSQL one query gives each table's ``TableDigest`` (a refused post is checked ~2 400 times in
    a run: one query instead of one per table, and no rows through the ORM); elsewhere the rows themselves."""
    if connection.vendor == "postgresql" and models:
        quote = connection.ops.quote_name
        # Table and column names come from the models, quoted; the only value, the label, is a parameter.
        parts = [
            f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.{quote(model._meta.pk.column)}), ''))"  # noqa: S608  # nosec B608
            f" FROM {quote(model._meta.db_table)} t"
            for model in models
        ]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [model._meta.label for model in models])
            return {label: TableDigest(count, md5) for label, count, md5 in cursor.fetchall()}
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def assert_unchanged(before: dict, after: dict, *, where: str) -> None:
    for label, rows in before.items():
        if rows == after[label]:
            continue
        if isinstance(rows, TableDigest):
            added = after[label].rows - rows.rows
            raise AssertionError(f"{where}: refused, yet {label} changed ({added:+d} rows; the rows' digest differs)")
        added = len(after[label]) - len(rows)
        changed = [a for a, b in zip(rows, after[label], strict=False) if a != b][:2]
        raise AssertionError(f"{where}: refused, yet {label} changed ({added:+d} rows; first changed {changed!r})")
