"""Issue 18 item 9 (b): criterion names are never cut in dropdowns (they were cut at 50 to 110 characters).

Each option shows the whole name, and carries it as a tooltip where the closed select is narrower.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from django.conf import settings

from evaluations.forms import RecommendationForm
from evidence.forms import CriterionChoiceField, criterion_choices
from evidence.tests.factories import RegulationFactory, VersionFactory, build_catalog
from standards.models import Criterion

LONG = ("Nhà trường thực hiện đầy đủ các quy định về tổ chức và quản lý hoạt động giáo dục, bảo đảm chất lượng "
        "chương trình giáo dục phổ thông, phối hợp hiệu quả với gia đình và xã hội trong việc giáo dục học sinh "
        "theo đúng kế hoạch đã được phê duyệt")


def _long_criterion(db):
    version = VersionFactory(regulation=RegulationFactory())
    criterion = build_catalog(version, ["1.10"])["1.10"]
    Criterion.objects.filter(pk=criterion.pk).update(title=LONG)
    criterion.refresh_from_db()
    assert len(LONG) > 200
    return criterion


def test_the_evidence_criterion_select_shows_and_titles_the_whole_name(db):
    criterion = _long_criterion(db)
    labels = [label for _, options in criterion_choices([criterion]) for _, label in options]
    assert labels == [f"1.10. {LONG}"]
    html = CriterionChoiceField(criteria=[criterion]).widget.render("criterion", criterion.pk)
    option = lxml.html.fromstring(html).xpath(f"//option[@value='{criterion.pk}']")[0]
    assert option.text_content() == f"1.10. {LONG}"
    assert option.get("title") == f"1.10. {LONG}"


def test_the_recommendation_criterion_select_shows_the_whole_name(db):
    criterion = _long_criterion(db)
    form = RecommendationForm(criteria=Criterion.objects.filter(pk=criterion.pk))
    option = lxml.html.fromstring(str(form["criterion"])).xpath(f"//option[@value='{criterion.pk}']")[0]
    assert option.text_content() == f"1.10. {LONG}"
    assert option.get("title") == f"1.10. {LONG}"


def test_no_template_cuts_a_name_inside_an_option():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        for option in re.findall(r"<option\b.*?</option>", path.read_text(encoding="utf-8"), flags=re.S):
            if "truncatechars" in option or "truncatewords" in option:
                offenders.append(f"{path.relative_to(root)}: {option[:120]}")
    assert offenders == []
