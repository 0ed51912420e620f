"""Texts worded when they are read, in the reader's language (not when they are written).

A notification's title, an e-mail, an audit summary is written once by whoever acted, but read
by someone else, perhaps in another language. ``Text(msgid, params)`` keeps the Vietnamese source
message and its parameters; ``str()`` words it in the active language, so the same object gives
the recipient's wording under ``translation.override(language_of(recipient))``. ``as_data()`` /
``Text.from_data()`` store it in JSON (audit events), so a summary is worded when shown.

Mark the msgid for the catalog with ``gettext_noop``: ``Text(N_("Sửa trường %(name)s"), {"name": ...})``.
Parameters may be plain values, lazy translations or other Texts (worded in the same language).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop

# The marker of msgids for the catalog, re-exported: ``Text(N_("..."))``.
N_ = gettext_noop


class Text:
    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict | None = None):
        self.msgid = _source(msgid) if isinstance(msgid, Promise) else str(msgid)
        self.params = dict(params or {})

    def __str__(self) -> str:
        template = gettext(self.msgid)
        if not self.params:
            return template
        values = {key: str(value) if isinstance(value, (Text, Promise)) else value for key, value in self.params.items()}
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            # A translation that lost a placeholder must not break the page: the source wording.
            return self.msgid % values

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def as_data(self) -> dict:
        """JSON-ready: nested Texts kept as codes, lazy strings by their source (a msgid of their own)."""
        params = {}
        for key, value in self.params.items():
            if isinstance(value, Text):
                params[key] = value.as_data()
            elif isinstance(value, Promise):
                params[key] = Text(_source(value)).as_data()
            elif value is None or isinstance(value, (bool, int, float, str)):
                params[key] = value
            else:
                params[key] = str(value)
        return {"msgid": self.msgid, "params": params}

    @classmethod
    def from_data(cls, data) -> Text | None:
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params = {}
        for key, value in (data.get("params") or {}).items():
            nested = cls.from_data(value) if isinstance(value, dict) else None
            params[key] = nested if nested is not None else value
        return cls(data["msgid"], params)


def _source(lazy: Promise) -> str:
    """The source message of a ``gettext_lazy`` string (its argument), else its current wording."""
    args = getattr(lazy, "_args", None) or getattr(lazy, "_proxy____args", None)
    if args and isinstance(args[0], str):
        return args[0]
    return str(lazy)


def worded(text, language: str) -> str:
    """``text`` (a Text, a lazy string or a plain one) worded in ``language``."""
    from django.utils import translation

    with translation.override(language):
        return str(text)
