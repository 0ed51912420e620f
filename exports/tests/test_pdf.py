"""The PDF renderer reads only the project's static folder and escapes what users wrote."""

from __future__ import annotations

import copy

import pytest

from exports import pdf
from exports.document import Stamp
from exports.exporters import ReportPdfExporter
from exports.tests.readers import needs_poppler, pdf_text
from exports.tests.sample import report_dict


@pytest.fixture
def fetcher():
    return pdf._fetcher_class()(pdf.static_dir())


def test_fetcher_serves_the_vendored_fonts_and_stylesheet(fetcher):
    font = fetcher.fetch((pdf.static_dir() / "fonts/liberation-serif/LiberationSerif-Regular.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    css = fetcher.fetch(pdf._base_url() + "exports/print.css")
    assert b"@font-face" in css.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://127.0.0.1/admin/",
        "ftp://example.com/x",
        "file://otherhost/static/x.css",
    ],
)
def test_fetcher_refuses_everything_outside_static(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_static(fetcher):
    with pytest.raises(pdf.ForbiddenResourceError):
        fetcher.fetch(pdf._base_url() + "../manage.py")
    with pytest.raises(pdf.ForbiddenResourceError):
        fetcher.fetch(pdf._base_url() + "%2e%2e/manage.py")


def test_fetcher_accepts_data_uris(fetcher):
    assert fetcher.fetch("data:text/plain,xin%20ch%C3%A0o").read() == "xin chào".encode()


@needs_poppler
def test_markup_written_by_a_school_is_printed_as_text_never_fetched(monkeypatch):
    fetched = []
    original = pdf._fetcher_class()

    class Spy(original):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(pdf, "_fetcher_class", lambda: Spy)
    data = copy.deepcopy(report_dict(evidence_items=2, sentences=1))
    data["part2"]["introduction"] = '<img src="http://evil.example/x.png"> <b>đậm</b> & <script>alert(1)</script>'
    _name, _type, content = ReportPdfExporter(data, Stamp()).render()
    flat = " ".join(pdf_text(content).split())
    assert '<img src="http://evil.example/x.png"> <b>đậm</b> & <script>alert(1)</script>' in flat
    assert not [u for u in fetched if "evil" in u]
    assert all(u.startswith(pdf._base_url()) for u in fetched)
