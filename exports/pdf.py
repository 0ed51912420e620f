"""HTML to PDF with WeasyPrint, in the print format of Nghị định 30/2020/NĐ-CP.

Documents are rendered from our own templates and may only load files from the project's
``static/`` folder (the vendored fonts and ``exports/print.css``): the URL fetcher refuses every
other URL, so neither a user's text nor a template can make the server fetch from the network or
read another file. The page format (margins, body size) comes from settings:

    EXPORT_PDF_MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
    EXPORT_PDF_FONT_SIZE_PT = 13

(Nghị định 30/2020, Phụ lục I: A4; margins top and bottom 20–25 mm, left 30–35 mm, right
15–20 mm; Times New Roman 13–14 pt. Liberation Serif has the metrics of Times New Roman and every
Vietnamese glyph.)
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

DEFAULT_MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# The bounds Nghị định 30/2020 allows; a setting outside them is clamped and logged.
MARGIN_BOUNDS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
DEFAULT_FONT_SIZE_PT = 13
FONT_SIZE_BOUNDS_PT = (13, 14)


class ForbiddenResourceError(ValueError):
    """A document asked for a resource outside the project's static folder."""


def static_dir() -> Path:
    return (Path(settings.BASE_DIR) / "static").resolve()


def page_format() -> dict[str, float]:
    """Margins (mm) and body size (pt) from settings, kept within Nghị định 30/2020."""
    configured = getattr(settings, "EXPORT_PDF_MARGINS_MM", None) or {}
    margins = {}
    for side, default in DEFAULT_MARGINS_MM.items():
        low, high = MARGIN_BOUNDS_MM[side]
        try:
            value = float(configured.get(side, default))
        except (TypeError, ValueError):
            value = default
        if not low <= value <= high:
            logger.warning("EXPORT_PDF_MARGINS_MM[%r]=%s is outside %s–%s mm; clamped.", side, value, low, high)
            value = min(max(value, low), high)
        margins[side] = value
    try:
        size = float(getattr(settings, "EXPORT_PDF_FONT_SIZE_PT", DEFAULT_FONT_SIZE_PT))
    except (TypeError, ValueError):
        size = DEFAULT_FONT_SIZE_PT
    low, high = FONT_SIZE_BOUNDS_PT
    if not low <= size <= high:
        logger.warning("EXPORT_PDF_FONT_SIZE_PT=%s is outside %s–%s pt; clamped.", size, low, high)
        size = min(max(size, low), high)
    return {**{f"margin_{k}": v for k, v in margins.items()}, "font_size": size}


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve ``file:`` URLs inside ``static/`` (and ``data:`` URIs); refuse everything else."""

        def __init__(self, root: Path):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)
            self.root = root

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ForbiddenResourceError(f"Refused to fetch {url!r}: only the static folder is allowed.")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                raise ForbiddenResourceError(f"Refused to fetch {url!r}: outside the static folder.")
            suffix = path.suffix.lower()
            mime = {".css": "text/css", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml"}.get(
                suffix, "application/octet-stream"
            )
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return StaticOnlyFetcher


@lru_cache(maxsize=1)
def _base_url() -> str:
    return static_dir().as_uri() + "/"


@lru_cache(maxsize=1)
def _ua_stylesheet():
    """``static/exports/ua.css``, parsed once per process."""
    from weasyprint import CSS

    return CSS(string=(static_dir() / "exports" / "ua.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _html_class():
    """WeasyPrint's HTML with our short user-agent stylesheet (see static/exports/ua.css).

    ``_ua_stylesheets`` is WeasyPrint's own hook for it (weasyprint is pinned in requirements.txt);
    should a later version drop the hook, its default stylesheet applies: slower, same pages.
    """
    from weasyprint import HTML

    class DocumentHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [_ua_stylesheet()]

    return DocumentHTML


def layout_html(html: str):
    """Lay ``html`` (a document of ours, with relative URLs into ``static/``) out as pages (a WeasyPrint Document)."""
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class()(static_dir())
    document = _html_class()(string=html, base_url=_base_url(), url_fetcher=fetcher)
    return document.render(font_config=FontConfiguration())


def render_pdf_from_html(html: str) -> bytes:
    return layout_html(html).write_pdf()


def render_html(template: str, context: dict) -> str:
    """A template of ``templates/exports/pdf/`` as HTML, always in Vietnamese.

    Official documents are Vietnamese by law whatever the language of the user's pages.
    """
    with translation.override("vi"):
        return render_to_string(template, {**context, "print_format": page_format()})


def render_pdf(template: str, context: dict) -> bytes:
    return render_pdf_from_html(render_html(template, context))
