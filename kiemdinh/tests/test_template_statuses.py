"""No template compares a status with a string of its own: pages ask ``{% state_of obj as st %}``
(``st.is_returned``), ``{% state_badge obj %}`` or a flag the view or selector computes (kiemdinh/states.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# `x.status == "done"`, `x.report_status != 'draft'`, `"done" == x.status`, `x.status in "done failed"`.
STATUS_LITERAL = re.compile(
    r"""\.\w*status\s*(?:==|!=|\bin\b)\s*["']|["']\s*(?:==|!=)\s*[\w.]+\.\w*status\b""",
)
# Comparisons that stay, each with its reason (none today).
ALLOWED: dict[str, str] = {}


def test_no_template_compares_a_status_with_a_string():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in STATUS_LITERAL.finditer(line):
                if f"{name}:{match.group(0)}" not in ALLOWED:
                    found.append(f"{name}:{number}: {line.strip()[:160]}")
    assert not found, "Ask {% state_of obj as st %} (st.is_<status>) or {% state_badge obj %}:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    for text in ('{% if job.status == "done" %}', "{% if row.report_status != 'draft' %}",
                 '{% if "done" == job.status %}', '{% if a.status in "done failed" %}'):
        assert STATUS_LITERAL.search(text), text
    for text in ("{% if value == filters.status %}", "{% if st.is_done %}", '{% if state == "current" %}'):
        assert not STATUS_LITERAL.search(text), text
