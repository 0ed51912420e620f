"""Evidence codes: every scheme, parsing edge cases, citations in text, and a round trip."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence import codes
from evidence.codes import SCHEME_2018, SCHEME_LEGACY, SCHEME_MC


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        (SCHEME_2018, "H1-1.1-01"),
        (SCHEME_LEGACY, "H1.01.01.01"),
        (SCHEME_MC, "MC.1.1.01"),
    ],
)
def test_first_item_of_criterion_1_1_in_every_scheme(scheme, expected):
    assert codes.format_code(scheme, box=1, standard=1, criterion=1, sequence=1) == expected


def test_2018_scheme_writes_numbers_as_they_are_and_pads_the_sequence():
    assert codes.format_code(SCHEME_2018, box=3, standard=5, criterion=10, sequence=7) == "H3-5.10-07"
    assert codes.format_code(SCHEME_2018, box=12, standard=1, criterion=2, sequence=123) == "H12-1.2-123"


def test_legacy_scheme_pads_standard_criterion_and_sequence_to_two_digits():
    assert codes.format_code(SCHEME_LEGACY, box=2, standard=3, criterion=12, sequence=4) == "H2.03.12.04"


def test_mc_scheme_has_no_box():
    assert codes.format_code(SCHEME_MC, box=9, standard=4, criterion=15, sequence=2) == "MC.4.15.02"


@pytest.mark.parametrize(
    ("value", "family", "expected"),
    [
        ("Hn-a.b-c", "", SCHEME_2018),
        ("H{box}-{std}.{crit}-{seq:02d}", "", SCHEME_2018),
        ("  hn-a.b-c ", "", SCHEME_2018),
        ("Hn.ab.cd.ef", "", SCHEME_LEGACY),
        ("H{box}.{std:02d}.{crit:02d}.{seq:02d}", "", SCHEME_LEGACY),
        ("MC.a.b.nn", "", SCHEME_MC),
        ("mc", "", SCHEME_MC),
        ("", "legacy", SCHEME_LEGACY),
        ("", "2018", SCHEME_2018),
        ("", "", SCHEME_2018),
        (None, "unknown-family", SCHEME_2018),
    ],
)
def test_resolve_scheme_accepts_templates_names_and_family_defaults(value, family, expected):
    assert codes.resolve_scheme(value, family=family) is expected


def test_resolve_scheme_refuses_a_scheme_it_does_not_know():
    with pytest.raises(codes.UnknownSchemeError):
        codes.resolve_scheme("X{n}/{m}")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"box": 0, "standard": 1, "criterion": 1, "sequence": 1},
        {"box": 1, "standard": 0, "criterion": 1, "sequence": 1},
        {"box": 1, "standard": 1, "criterion": 1, "sequence": 0},
        {"box": 1, "standard": 1, "criterion": 1, "sequence": 1000},
        {"box": -1, "standard": 1, "criterion": 1, "sequence": 1},
    ],
)
def test_format_code_refuses_numbers_out_of_range(kwargs):
    with pytest.raises(ValueError):
        codes.format_code(SCHEME_2018, **kwargs)


def test_format_code_refuses_non_integers():
    with pytest.raises(TypeError):
        codes.format_code(SCHEME_2018, box="1", standard=1, criterion=1, sequence=1)
    with pytest.raises(TypeError):
        codes.format_code(SCHEME_2018, box=True, standard=1, criterion=1, sequence=1)


def test_legacy_scheme_cannot_write_a_three_digit_criterion():
    with pytest.raises(ValueError):
        codes.format_code(SCHEME_LEGACY, box=1, standard=1, criterion=100, sequence=1)


@pytest.mark.parametrize(
    ("text", "scheme", "parts"),
    [
        ("H1-1.1-01", SCHEME_2018, (1, 1, 1, 1)),
        ("[H2-1.10-12]", SCHEME_2018, (2, 1, 10, 12)),
        (" h3-5.2-100 ", SCHEME_2018, (3, 5, 2, 100)),
        ("H1.01.01.01", SCHEME_LEGACY, (1, 1, 1, 1)),
        ("H4.05.12.03", SCHEME_LEGACY, (4, 5, 12, 3)),
        ("MC.1.2.03", SCHEME_MC, (None, 1, 2, 3)),
    ],
)
def test_parse_code_reads_every_scheme(text, scheme, parts):
    parsed = codes.parse_code(text)
    assert parsed is not None
    assert parsed.scheme is scheme
    assert (parsed.box, parsed.standard, parsed.criterion, parsed.sequence) == parts


@pytest.mark.parametrize(
    "text",
    [
        "", "H", "H1", "H1-1.1", "H1-1.1-1", "H1-1.1-00", "H0-1.1-01", "H1-01.1-01", "H1-1.1-0001",
        "H1.1.1.1", "H1.00.01.01", "H1.01.01.00", "MC.1.2.3", "MC.0.2.03", "X1-1.1-01", "H1-1.1-01x",
        "H1 -1.1-01", "[H1-1.1-01", "1.1", "H1_1.1_01",
    ],
)
def test_parse_code_rejects_near_misses(text):
    assert codes.parse_code(text) is None
    assert not codes.is_code(text)


def test_parsed_code_knows_its_criterion_number():
    assert codes.parse_code("H1-1.10-02").criterion_number == "1.10"
    assert codes.parse_code("H1.01.10.02").criterion_number == "1.10"


def test_split_criterion_number():
    assert codes.split_criterion_number("1.10") == (1, 10)
    for bad in ["1", "1.1.1", "a.b", "", "1."]:
        with pytest.raises(ValueError):
            codes.split_criterion_number(bad)


def test_find_citations_returns_codes_in_order_including_several_per_bracket():
    text = (
        "Nhà trường có chiến lược phát triển [H1-1.1-01]. Hội đồng trường hoạt động đúng quy chế "
        "[H1-1.2-01; H1-1.2-02;H1-1.2-03]; các tổ chức đoàn thể [H1.01.03.01] và [MC.1.2.03]."
    )
    assert codes.find_citations(text) == [
        "H1-1.1-01", "H1-1.2-01", "H1-1.2-02", "H1-1.2-03", "H1.01.03.01", "MC.1.2.03",
    ]


def test_find_citations_keeps_repeats_and_normalises_case_and_spaces():
    assert codes.find_citations("[ h1-1.1-01 ] ... [H1-1.1-01]") == ["H1-1.1-01", "H1-1.1-01"]


def test_find_citations_accepts_a_comma_as_separator():
    assert codes.find_citations("[H1-1.1-01, H1-1.1-02]") == ["H1-1.1-01", "H1-1.1-02"]


def test_find_citations_ignores_codes_outside_brackets_and_non_codes_inside():
    text = "Mã H1-1.1-01 viết trơn không phải trích dẫn; chú thích [1], [xem phụ lục; H2-2.1-03], [H1-1.1-5]"
    assert codes.find_citations(text) == ["H2-2.1-03"]


def test_find_citations_does_not_span_lines_or_nested_brackets():
    assert codes.find_citations("[H1-1.1-01\nH1-1.1-02]") == []
    assert codes.find_citations("[[H1-1.1-01]]") == ["H1-1.1-01"]
    assert codes.find_citations("[a [H1-1.1-01] b]") == ["H1-1.1-01"]


def test_find_citations_of_empty_text():
    assert codes.find_citations("") == []
    assert codes.find_citations(None) == []


def test_iter_citations_gives_the_position_of_each_code():
    text = "Xem [H1-1.1-01;  H1-1.1-02]"
    spans = [(c.code, text[c.start : c.end]) for c in codes.iter_citations(text)]
    assert spans == [("H1-1.1-01", "H1-1.1-01"), ("H1-1.1-02", "H1-1.1-02")]


def test_replace_citations_applies_a_permutation_at_once():
    text = "A [H1-1.1-01; H1-1.1-02] B [H1-1.1-02]"
    mapping = {"H1-1.1-01": "H1-1.1-02", "H1-1.1-02": "H1-1.1-01"}
    assert codes.replace_citations(text, mapping) == "A [H1-1.1-02; H1-1.1-01] B [H1-1.1-01]"


def test_replace_citations_leaves_prose_separators_and_unmapped_codes_alone():
    text = "Mã H1-1.1-03 trong câu; trích dẫn [H1-1.1-03 ;H2-2.1-01]."
    assert codes.replace_citations(text, {"h1-1.1-03": "H1-1.1-02"}) == (
        "Mã H1-1.1-03 trong câu; trích dẫn [H1-1.1-02 ;H2-2.1-01]."
    )


def test_replace_citations_without_anything_to_do_returns_the_text():
    assert codes.replace_citations("", {"H1-1.1-01": "H1-1.1-02"}) == ""
    assert codes.replace_citations("[H1-1.1-01]", {}) == "[H1-1.1-01]"
    assert codes.replace_citations("[H1-1.1-01]", {"H9-9.9-09": "H1-1.1-02"}) == "[H1-1.1-01]"


def test_format_citation():
    assert codes.format_citation(["H1-1.1-01", "H1-1.1-02"]) == "[H1-1.1-01; H1-1.1-02]"


numbers = st.integers(min_value=1, max_value=999)
two_digits = st.integers(min_value=1, max_value=99)
prose = st.text(alphabet=st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), max_size=40)


@given(
    scheme=st.sampled_from([SCHEME_2018, SCHEME_LEGACY, SCHEME_MC]),
    box=numbers,
    standard=two_digits,
    criterion=two_digits,
    sequences=st.lists(numbers, min_size=1, max_size=4),
    before=prose,
    after=prose,
)
def test_round_trip_format_cite_find_parse(scheme, box, standard, criterion, sequences, before, after):
    written = [
        codes.format_code(scheme, box=box, standard=standard, criterion=criterion, sequence=s) for s in sequences
    ]
    text = f"{before}{codes.format_citation(written)}{after}"
    assert codes.find_citations(text) == written
    for code, sequence in zip(written, sequences, strict=True):
        parsed = codes.parse_code(code)
        assert parsed.scheme is scheme
        assert (parsed.standard, parsed.criterion, parsed.sequence) == (standard, criterion, sequence)
        assert parsed.box == (box if scheme.uses_box else None)
        if scheme.uses_box:
            assert parsed.code() == code


@given(
    box=numbers, standard=two_digits, criterion=two_digits, old=numbers, new=numbers, before=prose, after=prose
)
def test_replacing_a_code_then_finding_gives_the_new_code(box, standard, criterion, old, new, before, after):
    old_code = codes.format_code(SCHEME_2018, box=box, standard=standard, criterion=criterion, sequence=old)
    new_code = codes.format_code(SCHEME_2018, box=box, standard=standard, criterion=criterion, sequence=new)
    text = f"{before}[{old_code}]{after}"
    assert codes.find_citations(codes.replace_citations(text, {old_code: new_code})) == [new_code]
