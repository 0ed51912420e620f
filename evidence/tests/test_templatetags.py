"""link_citations: cited codes become links, everything else stays escaped."""

from django.template import Context, Template

from evidence import services
from evidence.selectors import evidence_by_code


def render(text, by_code):
    return Template("{% load evidence_tags %}{{ text|link_citations:by_code }}").render(
        Context({"text": text, "by_code": by_code})
    )


def test_known_codes_are_linked_unknown_and_archived_are_marked(school_a, principal_a, c11):
    item = services.evidence_create(school=school_a, criterion=c11, by=principal_a, name='Quy chế "dân chủ"')
    old = services.evidence_create(school=school_a, criterion=c11, by=principal_a, name="Kế hoạch cũ")
    services.evidence_archive(evidence=old, by=principal_a)
    html = render("<b>Quy chế</b> [H1-1.1-01; H1-1.1-02; H9-9.9-09].", evidence_by_code(school_a))
    assert html.startswith("&lt;b&gt;Quy chế&lt;/b&gt; [")
    assert f'<a class="evidence-cite-link" href="/evidence/{item.pk}/" title="Quy chế &quot;dân chủ&quot;">H1-1.1-01</a>' in html
    assert 'evidence-cite-archived' in html and ">H1-1.1-02</span>" in html
    assert 'evidence-cite-missing' in html and ">H9-9.9-09</span>]." in html


def test_text_without_citations_is_only_escaped():
    assert render("a < b [1]", {}) == "a &lt; b [1]"
    assert render("", {}) == ""
