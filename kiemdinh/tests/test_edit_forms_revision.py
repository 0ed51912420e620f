"""Every edit form of the project carries a revision check (issue #13, finding 11).

An edit form shows stored values and saves them back: every ModelForm, and every form a view or
service builds with ``instance=`` or ``initial=``. Each must post back the state it was rendered
from in a hidden field the service compares before writing (``revision``: a row counter, the
project's usual one; ``version``: evidence's counter; ``token``/``expected``: a fingerprint of a
list's stored rows), or be declared below with the reason it needs none. A new edit form without
either fails this test, so no form overwrites silently again.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings

REVISION_FIELDS = {"revision", "version", "token", "expected"}

# Forms built with initial values that do not save a stored state back, with the reason.
NOT_EDIT_FORMS = {
    "selfassessment.forms.ReportCreateForm": "creates a report; the initial values are defaults",
    "selfassessment.tracking.forms.ProgressNoteForm": "adds a progress note; the initial value is today's date",
    "selfassessment.forms.RegulationChangeForm": "an action (change the report's regulation), checked by the "
                                                "service against the report's status",
    "notifications.forms.EmailPreferencesForm": "the person's own mail preferences: only they write them, and the "
                                                "page posts the whole choice",
}

# Edit forms still without a revision check: none. Kept as the place to name one, with its reason,
# should a form ever need an exception (the test fails when one listed here gains the check).
KNOWN_GAPS: dict[str, str] = {}


def _project_modules():
    base = Path(settings.BASE_DIR)
    for app in apps.get_app_configs():
        path = Path(app.path)
        if base not in path.parents or ".venv" in path.parts:
            continue
        for file in sorted(path.rglob("*.py")):
            if {"tests", "migrations", "management"} & set(file.relative_to(base).parts) or file.name == "__init__.py":
                continue
            yield ".".join(file.relative_to(base).with_suffix("").parts), file


def _form_classes() -> dict[str, type]:
    found = {}
    for module_name, _file in _project_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                found[f"{module_name}.{name}"] = value
    return found


def _edit_forms(classes: dict[str, type]) -> dict[str, list[str]]:
    """Qualified form name → where it is built with stored values (or "ModelForm")."""
    by_name: dict[str, list[str]] = {}
    for qualified, cls in classes.items():
        by_name.setdefault(cls.__name__, []).append(qualified)
    edits: dict[str, list[str]] = {}
    for qualified, cls in classes.items():
        if issubclass(cls, forms.BaseModelForm):
            edits.setdefault(qualified, []).append("ModelForm")
    base = Path(settings.BASE_DIR)
    for _module, file in _project_modules():
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in by_name and any(k.arg in ("instance", "initial") for k in node.keywords):
                for qualified in by_name[name]:
                    edits.setdefault(qualified, []).append(f"{file.relative_to(base)}:{node.lineno}")
    return edits


def _has_revision(cls) -> bool:
    return any(name in REVISION_FIELDS and field.widget.is_hidden for name, field in cls.base_fields.items())


def test_every_edit_form_carries_a_revision_check():
    classes = _form_classes()
    edits = _edit_forms(classes)
    assert {"schools.forms.SchoolForm", "schools.forms.AccountForm", "schools.forms.ProfileForm"} <= set(edits)
    missing = {
        name: places for name, places in edits.items()
        if not _has_revision(classes[name]) and name not in NOT_EDIT_FORMS
    }
    new = {name: places for name, places in missing.items() if name not in KNOWN_GAPS}
    assert not new, f"edit forms without a revision check (add a hidden revision the service compares): {new}"
    fixed = set(KNOWN_GAPS) - set(missing)
    assert not fixed, f"these forms have a revision check now; remove them from KNOWN_GAPS: {sorted(fixed)}"


def test_the_declared_exceptions_still_exist():
    classes = _form_classes()
    assert set(NOT_EDIT_FORMS) <= set(classes)


def test_the_scan_finds_an_edit_form_without_a_revision():
    """The detector itself: a ModelForm without a revision field is found, one with it is not."""
    from schools.forms import ProfileForm
    from schools.models import User

    class Bare(forms.ModelForm):
        class Meta:
            model = User
            fields = ["full_name"]

    assert not _has_revision(Bare)
    assert _has_revision(ProfileForm)
