"""The documents of a school reviewed by a ward carry the ward's name: the report's cover (its
managing body), the council decision's header, and the ward's letter to the Sở with its own office,
number and head's title; never "Phòng Giáo dục và Đào tạo" or a bare "Trưởng phòng"."""

from __future__ import annotations

import datetime
import types

import pytest

from exports import official as o
from exports.document import build_report_document
from exports.pdf import render_html
from exports.selectors import round_letter_info
from reviews.tests import factories
from schools.models import Organisation
from selfassessment.serializers import report_as_dict

WARD_NAME = "Ủy ban nhân dân phường Cửa Nam"


@pytest.fixture
def ward(district):
    district.kind = Organisation.Kind.WARD_COMMITTEE
    district.name = WARD_NAME
    district.short_name = "UBND phường Cửa Nam"
    district.head_name = "Nguyễn Thị Minh Phương"
    district.save()
    return district


def _texts(form: o.FormDocument) -> str:
    parts = []
    for block in form.blocks:
        parts += [str(v) for v in vars(block).values() if isinstance(v, str)]
        parts += [" ".join(map(str, row)) for row in getattr(block, "rows", [])]
        parts += list(getattr(block, "recipients", []))
    return "\n".join(parts)


def test_the_cover_of_a_ward_school_names_the_ward_as_its_managing_body(ward, principal_a, school_year):
    report = factories.report_for(principal_a.memberships.get().school, principal_a)
    data = report_as_dict(report)
    doc = build_report_document(data)

    assert doc.managing_body == WARD_NAME
    assert doc.place == "Cửa Nam"
    cover = render_html("exports/pdf/report.html", {"doc": doc, "footer": "", "watermark": ""})
    assert cover.count(WARD_NAME) >= 2  # the cover and the council's sub-cover
    assert "Phòng Giáo dục" not in cover and "PHÒNG GD" not in cover.upper()

    decision = o.council_decision(data, doc)
    assert decision.blocks[0].left_top == "UBND phường Cửa Nam"
    assert f"- {WARD_NAME} (để b/c);" in _texts(decision)


def test_the_wards_letter_to_the_so_speaks_as_its_office_and_is_signed_by_its_head(ward):
    info = round_letter_info(types.SimpleNamespace(unit=ward, number=1, year=2026), [], on=datetime.date(2026, 3, 2))
    form = o.round_letter(info)
    header = form.blocks[0]

    assert (header.left_top, header.left_bold) == ("UBND phường Cửa Nam", "Phòng Văn hóa – Xã hội")
    assert header.number.endswith("/VHXH")
    assert header.place_date == "Cửa Nam, ngày 02 tháng 3 năm 2026"
    signature = form.blocks[-1]
    assert (signature.title, signature.name) == ("Trưởng phòng Văn hóa – Xã hội", "Nguyễn Thị Minh Phương")
    text = _texts(form)
    assert f"{WARD_NAME} đề nghị Sở Giáo dục và Đào tạo" in text
    assert "Phòng Giáo dục" not in text and "PGDĐT" not in text


def test_a_unit_with_its_own_office_and_head_title_signs_with_them(district):
    """What the administrator sets on the unit wins over the default of its kind."""
    district.office_name = "Phòng Giáo dục, Đào tạo và Thể thao"
    district.head_title = "Phó Trưởng phòng phụ trách"
    district.save()
    form = o.round_letter(round_letter_info(types.SimpleNamespace(unit=district, number=1, year=2026), []))
    assert form.blocks[0].left_bold == "Phòng Giáo dục, Đào tạo và Thể thao"
    assert form.blocks[-1].title == "Phó Trưởng phòng phụ trách"
