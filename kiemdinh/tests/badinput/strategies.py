"""Hypothesis strategies for the values a careless or hostile client posts.

Everything a browser posts is a string (or a list of strings for a repeated name); the strategies
therefore produce strings, lists of strings and missing keys, never Python objects.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Characters that break naive code: NUL and other controls, bidi overrides (RTL), zero-width and
# BOM, a lone combining mark, emoji with joiners and skin tones, astral-plane letters, HTML and
# SQL metacharacters, line and paragraph separators, and Vietnamese itself.
NASTY = [
    "\x00", "\x01", "\x1b", "\x7f", "\u202e", "\u200f", "\u200b", "\ufeff", "\u0301", "\u0323\u0302",
    "😀", "👨\u200d👩\u200d👧", "👍🏽", "𝕏", "\U0001f1fb\U0001f1f3", "\u2028", "\u2029", "\r\n", "\t",
    "<script>alert(1)</script>", "' OR 1=1 --", '"', "\\", "%s", "{{ x }}", "%(name)s", "_", "\ufffd",
    "ﷺ", "مرحبا", "שלום", "Đường", "ệ", "Tiếng Việt", " ", "",
]

unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), unicode_text), min_size=1, max_size=6).map("".join)


@st.composite
def huge_text(draw) -> str:
    """A text far past any sensible length: 4 001 to 100 000 characters (a 100k paste included)."""
    unit = draw(st.sampled_from(["a", "ệ", "😀", "Tiêu chí 1.1 ", "\u0301", "<b>"]))
    length = draw(st.sampled_from([256, 4_001, 20_000, 100_000]))
    return (unit * (length // len(unit) + 1))[:length]


BAD_DATES = [
    "31/02/2024", "30/02/2024", "29/02/2023", "2024-13-01", "2024-00-10", "0000-00-00", "00/00/0000",
    "32/01/2024", "2024-02-30", "1/1/1", "-2024-01-01", "2024-01-01T25:00", "31.12.2024", "24/12/31",
    "hôm nay", "２０２４-０１-０１", "2024-1-1", " 2024-01-01 ", "99999-01-01", "1e5", "2024/01/01",
    # Valid dates at the ends of the calendar: they parse, then arithmetic on them must not overflow.
    "0001-01-01", "01/01/0001", "9999-12-31", "31/12/9999", "1900-01-01", "2100-12-31",
]
bad_date = st.sampled_from(BAD_DATES)

BAD_NUMBERS = [
    "-1", "-2147483649", "0", "2147483648", "32768", "65536", "9223372036854775808", str(10**30),
    "-" + str(10**30), "1e309", "NaN", "inf", "-0", "1.5", "1,5", "٣", "１２", "0x10", " 7 ", "+5", "1_000",
    "1" * 400, "9" * 20,
]
bad_number = st.one_of(st.sampled_from(BAD_NUMBERS), st.integers().map(str))

# A repeated name (what <select multiple> or a tampered form posts) and empty values.
wrong_type = st.one_of(
    st.lists(st.sampled_from(["1", "a", "", "-1", "\x00"]), min_size=2, max_size=3),
    st.just(""),
    st.just([]),
)

hostile_value = st.one_of(nasty_text, huge_text(), bad_date, bad_number, wrong_type)

MISSING = object()  # a key left out of the post


def form_data(valid: dict) -> st.SearchStrategy[dict]:
    """Posts built from a valid one: one field hostile (the rest valid, so the value reaches the
    service), or every field independently valid, hostile or missing."""
    keys = sorted(valid)

    def one_hostile(key_value):
        key, value = key_value
        data = dict(valid)
        if value is MISSING:
            data.pop(key, None)
        else:
            data[key] = value
        return data

    single = st.tuples(st.sampled_from(keys), st.one_of(hostile_value, st.just(MISSING))).map(one_hostile)
    mixed = st.fixed_dictionaries(
        {},
        optional={key: st.one_of(st.just(valid[key]), hostile_value) for key in keys},
    )
    return st.one_of(single, mixed)
