"""The report document takes its level names, summary columns and headings from the rule family."""

import pytest

from exports.document import build_report_document


def document(regulation: dict):
    return build_report_document({
        "regulation": regulation,
        "summary": {"criteria": [{"standard": 1, "criterion": "1.1", "level": 2}]},
        "part3": {"school_level": 1, "criteria_total": 1,
                  "counts": [{"level": 1, "at_least": 1}, {"level": 2, "at_least": 1}]},
    })


@pytest.mark.parametrize(("regulation", "columns", "phrase", "heading", "marks"), [
    # TT57/2026: Mức 1 and Mức 2 only.
    ({"family": "2026", "level_count": 2}, ["Không đạt", "Mức 1", "Mức 2"], "Mức 1 và 2",
     "I. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 1 VÀ 2", ["", "x", "x"]),
    # The 2018 regulations, exactly as before.
    ({"family": "2018", "level_count": 3}, ["Không đạt", "Mức 1", "Mức 2", "Mức 3"], "Mức 1, 2 và 3",
     "I. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 1, 2 VÀ 3", ["", "x", "x", ""]),
    ({"family": "legacy", "level_count": 1}, ["Không đạt", "Đạt"], "", "I. TỰ ĐÁNH GIÁ THEO CÁC TIÊU CHÍ", ["", "x"]),
    # A version frozen before the report data named its family keeps the 2018 layout.
    ({"level_count": 3}, ["Không đạt", "Mức 1", "Mức 2", "Mức 3"], "Mức 1, 2 và 3",
     "I. TỰ ĐÁNH GIÁ TIÊU CHÍ MỨC 1, 2 VÀ 3", ["", "x", "x", ""]),
])
def test_the_family_names_the_levels(regulation, columns, phrase, heading, marks):
    doc = document(regulation)
    assert doc.summary.columns == columns
    assert doc.summary.levels_phrase == phrase
    assert doc.assessment_heading == heading
    assert doc.summary.standards[0].rows[0].marks == marks


def test_tt57_counts_stop_at_mức_2():
    doc = document({"family": "2026", "level_count": 2})
    assert [line.split(":")[0] for line in doc.counts] == [
        "Số lượng và tỉ lệ (%) tiêu chí đạt Mức 1", "Số lượng và tỉ lệ (%) tiêu chí đạt Mức 2",
    ]
