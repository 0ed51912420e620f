"""The demo library: realistic, coded through the services, idempotent."""

import io

import pytest
from django.core.management import call_command

from evidence import demo
from evidence.models import Evidence
from schools import demo as schools_demo


@pytest.fixture
def demo_world(db, settings, tmp_path):
    schools_demo.seed()
    call_command("load_standards", verbosity=0)


def test_seed_builds_full_libraries_and_is_idempotent(demo_world):
    demo.seed()
    counts = {code: Evidence.objects.filter(school__code=code).count() for code in demo.FULL_SCHOOLS}
    assert all(count >= 100 for count in counts.values()), counts
    assert 0 < Evidence.objects.filter(school__code="DDA-THCS-02").count() < 30
    thcs = Evidence.objects.filter(school__code="DDA-THCS-01")
    assert thcs.filter(code="H1-1.1-01").exists()
    assert thcs.exclude(file="").count() >= counts["DDA-THCS-01"] // 4
    assert thcs.filter(shared_criteria__isnull=False).exists()
    assert thcs.filter(valid_until__isnull=False).exists()
    # Dates within the five school years before 2024-2025.
    dated = thcs.exclude(issued_on=None)
    assert min(dated.values_list("issued_on", flat=True)).year >= 2019
    assert max(dated.values_list("issued_on", flat=True)).isoformat() < "2024-09-01"
    before = Evidence.objects.count()
    demo.seed()
    assert Evidence.objects.count() == before


def test_demo_files_are_accepted_by_the_upload_check():
    from evidence import uploads

    for content, name in [(demo.tiny_pdf(["Biên bản họp (số 1)"]), "a.pdf"), (demo.tiny_png(3), "a.png")]:
        checked = uploads.check_upload(io.BytesIO(content), name=name, size=len(content), max_bytes=10**6)
        assert checked.size == len(content)


def test_seed_without_catalogs_says_so(db):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "load_standards" in out.getvalue()
    assert not Evidence.objects.exists()
