"""Citation forms per scheme: TT57's ``(MC.1.1.01, MC.1.1.02)`` beside the 2018 ``[H1-1.1-01; ...]``."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence import codes
from evidence.codes import SCHEME_2018, SCHEME_LEGACY, SCHEME_MC


def test_each_scheme_carries_its_citation_form():
    assert (SCHEME_MC.style.open, SCHEME_MC.style.close, SCHEME_MC.style.separator) == ("(", ")", ", ")
    assert (SCHEME_2018.style.open, SCHEME_2018.style.close, SCHEME_2018.style.separator) == ("[", "]", "; ")
    assert SCHEME_LEGACY.style == SCHEME_2018.style


def test_format_citation_follows_the_scheme_of_the_codes():
    assert codes.format_citation(["MC.1.1.01", "MC.1.1.02"]) == "(MC.1.1.01, MC.1.1.02)"
    assert codes.format_citation(["MC.1.1.01"]) == "(MC.1.1.01)"
    assert codes.format_citation(["H1-1.1-01", "H1-1.1-02"]) == "[H1-1.1-01; H1-1.1-02]"
    assert codes.format_citation(["H1.01.01.01"]) == "[H1.01.01.01]"


def test_format_citation_with_an_explicit_scheme():
    assert codes.format_citation(["MC.2.3.04"], "MC.a.b.nn") == "(MC.2.3.04)"
    assert codes.format_citation(["MC.2.3.04"], SCHEME_2018) == "[MC.2.3.04]"


def test_the_phu_luc_iv_example_sentence_is_read():
    text = "Nhà trường đã ban hành kế hoạch năm học theo quy định (MC.1.1.01)."
    assert codes.find_citations(text) == ["MC.1.1.01"]
    assert codes.find_citations(text, SCHEME_MC) == ["MC.1.1.01"]


def test_several_mc_codes_in_one_round_bracket_inside_the_sentence():
    text = (
        "Nhà trường xây dựng kế hoạch theo quy định (MC.1.1.01, MC.1.1.02), công khai trên cổng thông tin "
        "(MC.1.1.03,MC.2.1.10; mc.1.2.01) và lưu hồ sơ đầy đủ."
    )
    assert codes.find_citations(text, "mc") == ["MC.1.1.01", "MC.1.1.02", "MC.1.1.03", "MC.2.1.10", "MC.1.2.01"]


def test_round_brackets_in_prose_are_not_citations():
    text = "Tỉ lệ (98,5%) học sinh (kể cả học sinh khuyết tật) hoàn thành chương trình (xem phụ lục 1) (MC.4.1.02)."
    assert codes.find_citations(text) == ["MC.4.1.02"]
    assert codes.find_citations(text, SCHEME_MC) == ["MC.4.1.02"]


def test_without_a_scheme_both_forms_are_read_in_order_of_appearance():
    text = "Cũ [H1-1.1-01; H1-1.1-02], mới (MC.1.1.01), cũ nữa [MC.1.2.01] và [H1.01.01.01]."
    assert codes.find_citations(text) == ["H1-1.1-01", "H1-1.1-02", "MC.1.1.01", "MC.1.2.01", "H1.01.01.01"]


def test_2018_codes_in_round_brackets_are_not_citations_of_any_report():
    # The 2018 guidance cites in square brackets only; "(H1-1.1-01)" is prose for a 2018 report.
    assert codes.find_citations("Xem (H1-1.1-01).") == []
    assert codes.find_citations("Xem (H1-1.1-01).", SCHEME_2018) == []


@pytest.mark.parametrize(
    ("scheme", "text", "expected"),
    [
        (SCHEME_MC, "A (MC.1.1.01) B [MC.1.1.02] C [H1-1.1-01] D (H1-1.1-02)", ["MC.1.1.01"]),
        (SCHEME_2018, "A (MC.1.1.01) B [MC.1.1.02] C [H1-1.1-01] D (H1-1.1-02)", ["H1-1.1-01"]),
        (SCHEME_LEGACY, "A [H1.01.01.01; H1-1.1-01] B (H1.01.01.02)", ["H1.01.01.01"]),
    ],
)
def test_with_a_scheme_only_its_codes_in_its_brackets_count(scheme, text, expected):
    assert codes.find_citations(text, scheme) == expected


def test_citation_positions_point_at_the_codes_in_round_brackets():
    text = "Đạt yêu cầu (MC.1.1.01,  MC.1.1.02)."
    spans = [(c.code, text[c.start : c.end]) for c in codes.iter_citations(text, SCHEME_MC)]
    assert spans == [("MC.1.1.01", "MC.1.1.01"), ("MC.1.1.02", "MC.1.1.02")]


def test_round_citations_do_not_span_lines():
    assert codes.find_citations("(MC.1.1.01\nMC.1.1.02)", SCHEME_MC) == []
    assert codes.find_citations("((MC.1.1.01))", SCHEME_MC) == ["MC.1.1.01"]


def test_replace_citations_rewrites_round_citations_and_keeps_their_separators():
    text = "A (MC.1.1.01, MC.1.1.02). Mã MC.1.1.01 viết trơn."
    mapping = {"MC.1.1.01": "MC.1.1.02", "MC.1.1.02": "MC.1.1.01"}
    assert codes.replace_citations(text, mapping) == "A (MC.1.1.02, MC.1.1.01). Mã MC.1.1.01 viết trơn."
    assert codes.replace_citations(text, mapping, SCHEME_MC) == "A (MC.1.1.02, MC.1.1.01). Mã MC.1.1.01 viết trơn."


def test_replace_citations_with_a_scheme_leaves_the_other_form_alone():
    text = "[MC.1.1.01] (MC.1.1.01)"
    assert codes.replace_citations(text, {"MC.1.1.01": "MC.1.1.05"}, SCHEME_MC) == "[MC.1.1.01] (MC.1.1.05)"


def test_citation_issues_of_a_tt57_text():
    text = (
        "Đúng (MC.1.1.01). Ngoặc vuông [MC.1.1.02]. Mã cũ [H1-1.1-01]. Viết trơn MC.1.1.03 trong câu. "
        "Dính chữ XMC.1.1.04 không tính."
    )
    issues = [(i.code, i.kind) for i in codes.citation_issues(text, SCHEME_MC)]
    assert issues == [
        ("MC.1.1.02", codes.ISSUE_WRONG_BRACKETS),
        ("H1-1.1-01", codes.ISSUE_OTHER_SCHEME),
        ("MC.1.1.03", codes.ISSUE_BARE),
    ]
    first = codes.citation_issues(text, SCHEME_MC)[0]
    assert text[first.start : first.end] == "MC.1.1.02"


def test_citation_issues_of_a_2018_text():
    text = "Đúng [H1-1.1-01; H1-1.1-02]. Ngoặc tròn (H1-1.1-03). Mã mới (MC.1.1.01)."
    issues = [(i.code, i.kind) for i in codes.citation_issues(text, "2018")]
    assert issues == [("H1-1.1-03", codes.ISSUE_WRONG_BRACKETS), ("MC.1.1.01", codes.ISSUE_OTHER_SCHEME)]


def test_a_well_cited_text_has_no_issues():
    assert codes.citation_issues("Kế hoạch (MC.1.1.01, MC.1.1.02); hồ sơ (MC.2.1.01).", "mc") == []
    assert codes.citation_issues("", "mc") == []
    assert codes.citation_issues(None, "mc") == []


def test_scheme_of_a_code():
    assert codes.scheme_of("MC.1.1.01") is SCHEME_MC
    assert codes.scheme_of("[H1-1.1-01]") is SCHEME_2018
    assert codes.scheme_of("H1.01.01.01") is SCHEME_LEGACY
    assert codes.scheme_of("MC.1.1") is None


numbers = st.integers(min_value=1, max_value=999)
two_digits = st.integers(min_value=1, max_value=99)
prose = st.text(alphabet=st.characters(blacklist_characters="[]()", blacklist_categories=("Cs",)), max_size=40)


@given(
    scheme=st.sampled_from([SCHEME_2018, SCHEME_LEGACY, SCHEME_MC]),
    standard=two_digits,
    criterion=two_digits,
    sequences=st.lists(numbers, min_size=1, max_size=4),
    before=prose,
    after=prose,
)
def test_a_citation_in_the_schemes_form_is_read_back_by_that_scheme_and_has_no_issues(
    scheme, standard, criterion, sequences, before, after
):
    written = [codes.format_code(scheme, box=standard, standard=standard, criterion=criterion, sequence=s) for s in sequences]
    text = f"{before} {codes.format_citation(written, scheme)} {after}"
    assert codes.find_citations(text, scheme) == written
    assert codes.find_citations(text) == written
    assert [i for i in codes.citation_issues(text, scheme) if i.code in written] == []
