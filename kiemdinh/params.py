"""Reading values from a request's query string, the same way in every view."""

from __future__ import annotations

# PostgreSQL's integer columns: an id past this would fail in the database instead of finding nothing.
MAX_ID = 2**31


def int_or_none(value) -> int | None:
    """A positive integer id or page number from a query parameter; None when absent, malformed or
    out of range (a tampered URL finds nothing rather than failing)."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or 0 < number < MAX_ID else None
