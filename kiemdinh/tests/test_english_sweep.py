"""Issue 18 item 8: in English nothing stays Vietnamese outside the data.

Each role of the permission matrix (principal, school staff, reviewer, head of office, Sở officer,
administrator), with English chosen (``User.language``), opens every GET page of the URL matrix it
may open (expected 200). Every visible text node (and the placeholder, title and aria-label a
reader meets) is read; one with Vietnamese diacritics fails the test unless it comes from the data.
What is data is collected from the test world itself: every text value stored in the database
(school and unit names, report texts, criterion texts of the catalogs, user names, comments...),
not a list of page strings. The failure lists every page and string found.
"""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

from kiemdinh.tests import module_world
from kiemdinh.tests.test_url_matrix import CASES
from schools.models import User

# Letters only Vietnamese uses among the languages of the site (English has none of them).
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE)
# Official abbreviations and document numbers keep their letters in English too ("57/2026/TT-BGDĐT",
# "Nghị định 30/2020/NĐ-CP" → "Decree 30/2020/NĐ-CP", "KĐCLGD"): capitals, digits and / - & only.
CODE = re.compile(r"(?<![\w])[A-Z0-9Đ/&\-]*Đ[A-Z0-9Đ/&\-]*(?![\w])")
ROLES = ["principal_a", "staff_a", "reviewer", "head", "officer", "sysadmin"]
SKIP_TAGS = {"script", "style", "noscript", "template", "textarea", "option", "code", "pre"}
ATTRIBUTES = ("placeholder", "title", "aria-label")
# Elements that cut a stored text into marked pieces: search hits (<mark>) and word diffs (<ins>,
# <del>). Their own words are a fragment of the data; the text after them is still read.
FRAGMENT_TAGS = {"mark", "ins", "del"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _data_values() -> list[str]:
    """Every text stored in the test world that contains Vietnamese letters, longest first."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        json_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not fields and not json_fields:
            continue
        for row in model._default_manager.values_list(*fields, *json_fields):
            for value in row:
                for text in _strings(value):
                    for line in text.splitlines():
                        line = _norm(line)
                        if line and VIETNAMESE.search(line):
                            values.add(line)
    # The language switch names each language in itself ("Tiếng Việt").
    values.update(str(name) for _code, name in settings.LANGUAGES)
    return sorted(values, key=len, reverse=True)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class Data:
    # A text node this long that lies inside a stored text is a piece of it (a passage split by the
    # marks of quoted words); a shorter one must be a whole value or its beginning, so that a short
    # label ("Tổng số học sinh") is not excused by a long text that happens to contain the words.
    PIECE = 25

    def __init__(self, values: list[str]):
        self.values = values
        self.whole = set(values)
        self.joined = "\x00" + "\x00".join(values)

    def explains(self, text: str) -> bool:
        """Whether every Vietnamese word of ``text`` belongs to a stored value shown in it (whole, cut
        with an ellipsis, or a long piece of it)."""
        core = text.rstrip("…").strip()
        if core in self.whole or (core and "\x00" + core in self.joined):
            return True
        if len(core) >= self.PIECE and core in self.joined:
            return True
        rest = text
        for value in self.values:
            if value in rest:
                rest = rest.replace(value, " ")
                if not VIETNAMESE.search(CODE.sub(" ", rest)):
                    return True
        rest = CODE.sub(" ", rest)
        # A value cut short ("Nhà trường thực hiện…"): its beginning.
        for piece in re.split(r"[…]", rest):
            piece = piece.strip(" :·-–()\"“”")
            if piece and VIETNAMESE.search(piece) and not (len(piece) >= self.PIECE and piece in self.joined):
                return False
        return True


def _texts(html: bytes):
    root = lxml.html.fromstring(html)
    body = root.find("body") if root.find("body") is not None else root
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in SKIP_TAGS or any(a.tag in SKIP_TAGS for a in element.iterancestors()):
            continue
        if element.get("hidden") is not None or "visually-hidden" in (element.get("class") or ""):
            pass  # screen readers read it: it counts
        own = None if element.tag in FRAGMENT_TAGS else element.text
        for text in (own, element.tail if element.getparent() is not None
                     and element.getparent().tag not in SKIP_TAGS else None):
            if text and text.strip():
                yield _norm(text)
        for attribute in ATTRIBUTES:
            value = element.get(attribute)
            if value and value.strip():
                yield _norm(value)


@pytest.fixture
def world(matrix_ctx):
    """The URL matrix's world, built once for the module (conftest.py's ``matrix_world``)."""
    return matrix_ctx


@pytest.mark.parametrize("role", ROLES)
def test_english_pages_hold_no_vietnamese_outside_the_data(world, role):
    user = world[role]
    User.objects.filter(pk=user.pk).update(language="en")
    client = module_world.logged_in(Client(), world, role)
    data = Data(_data_values())
    pages = [case for case in CASES if case.method == "get" and case.expected(role) == 200]
    assert pages, role
    found: dict[str, list[str]] = {}
    for case in pages:
        url = reverse(case.name, kwargs=case.kwargs(world)) + case.query
        response = client.get(url, data=case.data(world))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert response.headers.get("Content-Language", "en") == "en", url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        left = sorted({t for t in _texts(content) if VIETNAMESE.search(CODE.sub(" ", t)) and not data.explains(t)})
        if left:
            found[f"{case.name} {url}"] = left
    report = "\n".join(f"{page}:\n    " + "\n    ".join(strings) for page, strings in found.items())
    assert not found, f"{role}: Vietnamese left on {len(found)} English pages:\n{report}"
