"""The editor in a real browser: autosave with its visible state, a conflict shown and resolved,
verdicts that update the computed level at once."""

import pytest

from selfassessment import services
from selfassessment.models import Passage

from .factories import criterion, load_catalog

pytestmark = pytest.mark.e2e


@pytest.fixture
def editor(live_server, page, browser_login, school_a, school_year, principal_a, transactional_db):
    load_catalog()
    report = services.report_create(school=school_a, school_year=school_year, kind="periodic", by=principal_a)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, principal_a)
    page.goto(f"{live_server.url}/reports/{report.pk}/criteria/{criterion(report, '1.1').pk}/")
    yield page, report
    assert errors == [], errors


def test_typing_saves_by_itself_and_says_so(editor):
    page, report = editor
    strengths = Passage.objects.get(report=report, key="criterion:1.1:strengths")
    box = page.locator(f"#p-{strengths.pk}")
    box.locator("textarea").fill("Nhà trường có chiến lược rõ ràng.")
    box.locator(".passage-state", has_text="Đã lưu lúc").wait_for()
    strengths.refresh_from_db()
    assert strengths.text == "Nhà trường có chiến lược rõ ràng." and strengths.revision == 1


def test_a_concurrent_save_is_shown_side_by_side_and_the_writer_chooses(editor, principal_a):
    page, report = editor
    weaknesses = Passage.objects.get(report=report, key="criterion:1.1:weaknesses")
    # Someone else saves the same text after this page was loaded.
    services.passage_save(passage=weaknesses, text="Bản của đồng nghiệp.", base_revision=0, by=principal_a)
    box = page.locator(f"#p-{weaknesses.pk}")
    box.locator("textarea").fill("Bản của tôi.")
    conflict = box.locator(".passage-conflict")
    conflict.get_by_text("Bản của đồng nghiệp.").wait_for()
    assert "Bản của tôi." in conflict.inner_text()
    weaknesses.refresh_from_db()
    assert weaknesses.text == "Bản của đồng nghiệp."  # nothing was overwritten silently
    conflict.get_by_role("button", name="Lưu bản của tôi (thay bản đang lưu)").click()
    box.locator(".passage-state", has_text="Đã lưu lúc").wait_for()
    weaknesses.refresh_from_db()
    assert weaknesses.text == "Bản của tôi." and weaknesses.revision == 2


def test_verdicts_change_the_level_shown_without_reloading(editor):
    page, report = editor
    level = page.locator("#criterion-level")
    assert "Chưa đạt" in level.inner_text()
    for indicator in ("a", "b"):
        form = page.locator(".indicator", has_text=f"Chỉ báo {indicator} mức 1 của 1.1").locator("form[data-verdict]")
        form.locator("label", has_text="Đạt").first.click()
        form.locator(".verdict-state", has_text="Đã lưu").wait_for()
    page.locator("#criterion-level", has_text="Mức 1").wait_for()
    assert "Chỉ báo a Mức 2 của tiêu chí 1.1 chưa đạt." in page.locator("#criterion-explanation").inner_text()
