"""``{% heatmap_rows %}`` writes exactly what the Sở overview's template loop wrote, in one pass."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

# The loop of templates/evaluations/partials/_department_regimes.html that the tag replaced.
LOOP = Template(
    '{% load reviews_tags %}{% for unit, cells in hm.rows %}<tr><th class="school" scope="row">{{ unit }}</th>'
    '{% for c in cells %}<td class="cell {% if c %}{{ c.level|level_css }}{% else %}level-none{% endif %}" '
    'title="{% if c %}{{ c.mean }} ({{ c.n }}){% endif %}">{% if c %}{{ c.mean|floatformat:1 }}{% endif %}</td>'
    "{% endfor %}</tr>{% endfor %}"
)
TAG = Template("{% load regime_tags %}{% heatmap_rows hm %}")


def _heatmap():
    # Means that compare equal across types (2 and 2.0 are written "2" and "2,0"), a rounding
    # case, an empty cell, a count of thousands, and a unit name that needs escaping.
    rows = [
        ("Phường <Cửa Nam> & Hoàn Kiếm", [{"mean": 2, "n": 2, "level": 2}, {"mean": 2.0, "n": 3, "level": 2}, None]),
        ("UBND phường TN 2", [{"mean": 2.33, "n": 1200, "level": 2}, {"mean": 1.67, "n": 2.0, "level": 1},
                              {"mean": 0.05, "n": 1, "level": None}]),
        # The same cells again (written once, then repeated), and one that differs only by its type.
        ("UBND phường TN 3", [{"mean": 2, "n": 2, "level": 2}, {"mean": 2.0, "n": 2, "level": 2}]),
    ]
    return SimpleNamespace(rows=rows)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_heatmap_rows_match_the_template_loop(language):
    heatmap = _heatmap()
    with translation.override(language):
        expected = LOOP.render(Context({"hm": heatmap}))
        written = TAG.render(Context({"hm": heatmap}))
    assert written == expected
    assert "&lt;Cửa Nam&gt; &amp; Hoàn Kiếm" in written
    assert written.count("<td") == 8
    if language == "vi":  # the repeated cell twice; 2.0 apart from 2 (its title "2,0")
        assert written.count('title="2 (2)">2,0</td>') == 2 and 'title="2,0 (2)">2,0</td>' in written


def test_heatmap_rows_of_no_units_is_empty():
    assert TAG.render(Context({"hm": SimpleNamespace(rows=[])})) == ""


SUMMARY_LOOP = Template(
    '{% load reviews_tags %}{% for s in hm.summary %}<td class="cell {{ s.level|level_css }}" '
    'title="{{ s.number }}: {{ s.mean }} ({{ s.n }})">{% if s.n %}{{ s.mean|floatformat:1 }}{% endif %}</td>{% endfor %}'
)
SUMMARY_TAG = Template("{% load regime_tags %}{% heatmap_summary_cells hm %}")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_heatmap_summary_cells_match_the_template_loop(language):
    heatmap = SimpleNamespace(summary=[
        {"number": "1.1", "mean": 2.33, "n": 3000, "level": 2}, {"number": "1.2", "mean": 2, "n": 2, "level": 2},
        {"number": "1.3", "mean": 2.0, "n": 2, "level": 2}, {"number": "<4.1>", "mean": 0, "n": 0, "level": None},
        {"number": "4.2", "mean": 0.05, "n": 1, "level": 0},
    ])
    with translation.override(language):
        expected = SUMMARY_LOOP.render(Context({"hm": heatmap}))
        written = SUMMARY_TAG.render(Context({"hm": heatmap}))
    assert written == expected
    assert written.count("<td") == 5 and "&lt;4.1&gt;" in written
