"""Reading catalogs: JSON (the shape of ../shared/standards) or XLSX (one row per indicator), validated.

Both formats become the same catalog dict; ``validate_catalog`` checks it and returns a
``CatalogSpec`` plus every problem found, each located and worded for the administrator.
"""

from .overlay import overlay_xlsx
from .validate import Issue, parse_json, validate_catalog
from .xlsx import (
    AMENDMENT_COLUMNS,
    INDICATOR_COLUMNS,
    LEVEL4_COLUMNS,
    META_ROWS,
    RULE_COLUMNS,
    RULE_SECTIONS,
    SHEET_AMENDMENTS,
    SHEET_HELP,
    SHEET_INDICATORS,
    SHEET_LEVEL4,
    SHEET_META,
    SHEET_RULES,
    locator,
    parse_xlsx,
)

__all__ = [
    "AMENDMENT_COLUMNS",
    "INDICATOR_COLUMNS",
    "LEVEL4_COLUMNS",
    "META_ROWS",
    "RULE_COLUMNS",
    "RULE_SECTIONS",
    "SHEET_AMENDMENTS",
    "SHEET_HELP",
    "SHEET_INDICATORS",
    "SHEET_LEVEL4",
    "SHEET_META",
    "SHEET_RULES",
    "Issue",
    "locator",
    "overlay_xlsx",
    "parse_json",
    "parse_xlsx",
    "validate_catalog",
]
