"""How pages show a status, declared once per status field: a tone and, where wanted, an icon per value.

A workflow declares the look of its states with its table (``Workflow(..., tones=..., icons=...)``); a
status field that is no workflow (a school's, a regulation's) declares it with ``declare_states(States(...))``
beside its model. The label is always the field's own choice label. Templates ask
``{% state_badge obj %}`` for the badge and ``{% state_of obj as st %}`` for the rest (``st.label``,
``st.tone``, ``st.is_returned``); they never compare a status with a string of their own.

This module imports no app: models are named by their label and read through the app registry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.html import format_html
from django.utils.safestring import SafeString

# Bootstrap's colours: a badge of tone "success" is ``text-bg-success``.
TONES = frozenset({"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"})
# What a blank or undeclared value looks like (a test keeps every declared field complete).
FALLBACK_TONE = "light"


class UnknownStatus(Exception):
    """A template asked ``st.is_<status>`` of a status its field does not have (a typo, a removed status).

    Not an AttributeError: Django's ``{% if %}`` would read that as a silent False."""


@dataclass(frozen=True)
class State:
    """One status of one object as pages show it."""

    value: str
    label: str
    tone: str
    icon: str = ""
    # Every value of the field: ``is_<value>`` answers for these only, so that a misspelt or
    # removed status is an error in the template, never a silent False.
    values: frozenset[str] = frozenset()

    @property
    def css(self) -> str:
        # A light badge needs its border to be seen on a white page.
        return "text-bg-light border" if self.tone == "light" else f"text-bg-{self.tone}"

    def badge(self, note: Any = "", classes: str = "") -> SafeString:
        """``<span class="badge text-bg-{tone}">[icon] label[ note]</span>``."""
        css = f"{self.css} {classes}" if classes else self.css
        icon = format_html('<i class="bi bi-{}"></i> ', self.icon) if self.icon else ""
        suffix = format_html(" {}", note) if note not in ("", None) else ""
        return format_html('<span class="badge {}">{}{}{}</span>', css, icon, self.label, suffix)

    def __getattr__(self, name: str) -> bool:
        if name.startswith("is_"):
            if name[3:] not in self.values:
                raise UnknownStatus(f"{name}: the field has no status {name[3:]!r} ({sorted(self.values)})")
            return self.value == name[3:]
        raise AttributeError(name)

    def __str__(self) -> str:
        return self.label


class States:
    """The look of every value of one status field of one model: the labels are the field's choices."""

    def __init__(
        self,
        model: str | type[Any],
        field: str = "status",
        *,
        tones: Mapping[str, str],
        icons: Mapping[str, str] | None = None,
        label: Callable[[Any], str] | None = None,
    ):
        self.model_label: str = model if isinstance(model, str) else model._meta.label
        self.field = field
        unknown = {tone for tone in tones.values() if tone not in TONES}
        if unknown:
            raise ValueError(f"{self.model_label}.{field}: unknown tones {sorted(unknown)}")
        self.tones: dict[str, str] = {str(value): tone for value, tone in tones.items()}
        self.icons: dict[str, str] = {str(value): icon for value, icon in (icons or {}).items()}
        # The label of an object's status when it is not the choice's (a workflow's own wording).
        self._label = label

    def __repr__(self) -> str:
        return f"<States of {self.model_label}.{self.field}>"

    @functools.cached_property
    def choices(self) -> dict[str, Any]:
        """The field's choices, value → label (lazy: read when the apps are ready)."""
        model = apps.get_model(self.model_label)
        return {str(value): label for value, label in model._meta.get_field(self.field).flatchoices}

    @functools.cached_property
    def values(self) -> frozenset[str]:
        return frozenset(self.choices)

    def of_value(self, value: Any, label: Any = None) -> State:
        """The state of a bare value (read with ``values()``, frozen in a snapshot, an event's from/to)."""
        value = "" if value is None else str(value)
        if label is None:
            label = self.choices.get(value, value)
        return State(value=value, label=str(label), tone=self.tones.get(value, FALLBACK_TONE),
                     icon=self.icons.get(value, ""), values=self.values)

    def of(self, obj: Any) -> State:
        """The state of ``obj`` (its label from the workflow's wording when it has one)."""
        value = getattr(obj, self.field)
        return self.of_value(value, self._label(obj) if self._label is not None else None)


# --- the registry ------------------------------------------------------------------------------------

_DECLARED: dict[tuple[str, str], States] = {}


def declare_states(states: States) -> States:
    """Declare how ``states``'s field is shown; one declaration per model field. Returns it."""
    key = (states.model_label, states.field)
    existing = _DECLARED.get(key)
    if existing is not None and existing is not states:
        raise ValueError(f"The states of {key[0]}.{key[1]} are declared twice.")
    _DECLARED[key] = states
    return states


def forget_states(states: States) -> None:
    """Drop a declaration (tests that declare their own)."""
    if _DECLARED.get((states.model_label, states.field)) is states:
        del _DECLARED[(states.model_label, states.field)]


def declared() -> list[States]:
    return [_DECLARED[key] for key in sorted(_DECLARED)]


def states_for(obj: Any, field: str = "status") -> States:
    """The declaration of ``obj``'s status field (``obj`` a model instance or class)."""
    label = obj._meta.label
    try:
        return _DECLARED[(label, field)]
    except KeyError:
        raise LookupError(f"No states declared for {label}.{field}") from None


def state_of(obj: Any, field: str = "status") -> State:
    return states_for(obj, field).of(obj)
