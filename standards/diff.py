"""What an import would change: a structured diff of two catalog specs. Plain Python, no Django.

Changes are data (scope, reference, field, old, new); ``explain.describe_change`` words them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .catalog import CatalogSpec, CriterionSpec, amendment_action

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

REGULATION_FIELDS = (
    "title", "document_number", "issuer", "issued", "effective", "school_levels", "family", "status",
    "evidence_code_scheme", "verification_status", "verification_note", "level_count",
)
# Keys each element models as columns; any other key of its source is a "detail" (notes, sources…).
_MODELLED = {
    "regulation": {"code", "title", "number", "document_number", "issuer", "issued", "effective", "school_levels",
                   "catalog", "standards", "level4_requirements", "amendments", "rules"},
    "standard": {"number", "title", "criteria"},
    "criterion": {"number", "title", "applies_to", "levels", "indicators", "amendments", "mandatory"},
    "indicator": {"key", "text", "unlettered"},
    "level4": {"number", "text", "article"},
}


@dataclass(frozen=True)
class Change:
    kind: str  # added / removed / changed
    scope: str  # regulation / standard / criterion / indicator / level4 / amendment / repeal / rules / details
    ref: tuple = ()
    field: str = ""
    old: Any = None
    new: Any = None


@dataclass
class CatalogDiff:
    is_new: bool
    changes: list[Change] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    def __bool__(self) -> bool:
        return self.is_new or bool(self.changes)


def _details(scope: str, ref: tuple, old: dict, new: dict) -> list[Change]:
    modelled = _MODELLED[scope]
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in modelled and old.get(k) != new.get(k)]
    return [Change(CHANGED, "details", (scope, *ref), ", ".join(keys))] if keys else []


def _repeals(criterion: CriterionSpec) -> set[tuple[str, str, int, str]]:
    found = set()
    for entry in criterion.amendments:
        level = int(entry.get("level") or 0)
        key = str(entry.get("indicator_key") or "*")
        keys = [i.key for i in criterion.indicators if i.level == level] if key == "*" else [key]
        for k in keys:
            found.add((amendment_action(entry), str(entry.get("by")), level, k))
    return found


def catalog_diff(old: CatalogSpec | None, new: CatalogSpec) -> CatalogDiff:
    """Every difference between the catalog in force (``old``, None if new) and the uploaded one."""
    if old is None:
        return CatalogDiff(is_new=True)
    changes: list[Change] = []
    for name in REGULATION_FIELDS:
        if getattr(old, name) != getattr(new, name):
            changes.append(Change(CHANGED, "regulation", (), name, getattr(old, name), getattr(new, name)))
    changes += _details("regulation", (), old.source, new.source)
    if old.rules != new.rules:
        sections = [k for k in dict.fromkeys([*old.rules, *new.rules]) if old.rules.get(k) != new.rules.get(k)]
        changes.append(Change(CHANGED, "rules", (), ", ".join(sections)))

    old_amendments = {a.number: a for a in old.amendments}
    new_amendments = {a.number: a for a in new.amendments}
    for number, amendment in new_amendments.items():
        before = old_amendments.get(number)
        if before is None:
            changes.append(Change(ADDED, "amendment", (number,), new=amendment.effective))
        elif (before.effective, before.title) != (amendment.effective, amendment.title):
            changes.append(Change(CHANGED, "amendment", (number,), "effective", before.effective, amendment.effective))
    changes += [Change(REMOVED, "amendment", (n,)) for n in old_amendments if n not in new_amendments]

    old_standards = {s.number: s for s in old.standards}
    new_standards = {s.number: s for s in new.standards}
    for number, standard in new_standards.items():
        before = old_standards.get(number)
        if before is None:
            changes.append(Change(ADDED, "standard", (number,), new=standard.title))
        else:
            if before.title != standard.title:
                changes.append(Change(CHANGED, "standard", (number,), "title", before.title, standard.title))
            changes += _details("standard", (number,), before.source, standard.source)
    changes += [Change(REMOVED, "standard", (n,), old=s.title) for n, s in old_standards.items() if n not in new_standards]

    old_criteria = {c.number: c for c in old.criteria()}
    new_criteria = {c.number: c for c in new.criteria()}
    for number, criterion in new_criteria.items():
        before = old_criteria.get(number)
        if before is None:
            changes.append(Change(ADDED, "criterion", (number,), new=criterion.title))
            changes += [
                Change(ADDED, "indicator", (number, i.level, i.key), new=i.text) for i in criterion.indicators
            ]
            continue
        changes += _criterion_changes(before, criterion)
    for number, criterion in old_criteria.items():
        if number not in new_criteria:
            changes.append(Change(REMOVED, "criterion", (number,), old=criterion.title))

    old_level4 = {r.number: r for r in old.level4}
    new_level4 = {r.number: r for r in new.level4}
    for number, requirement in new_level4.items():
        before = old_level4.get(number)
        if before is None:
            changes.append(Change(ADDED, "level4", (number,), new=requirement.text))
        else:
            if before.text != requirement.text:
                changes.append(Change(CHANGED, "level4", (number,), "text", before.text, requirement.text))
            changes += _details("level4", (number,), before.source, requirement.source)
    changes += [Change(REMOVED, "level4", (n,), old=r.text) for n, r in old_level4.items() if n not in new_level4]
    return CatalogDiff(is_new=False, changes=changes)


def _criterion_changes(before: CriterionSpec, after: CriterionSpec) -> list[Change]:
    number = after.number
    changes = []
    # A mandatory flag (TT57/2026) changes school levels: shown as a change of its own, not a detail.
    for name in ("title", "applies_to", "mandatory"):
        if getattr(before, name) != getattr(after, name):
            changes.append(Change(CHANGED, "criterion", (number,), name, getattr(before, name), getattr(after, name)))
    changes += _details("criterion", (number,), before.source, after.source)
    old_indicators = {(i.level, i.key): i for i in before.indicators}
    new_indicators = {(i.level, i.key): i for i in after.indicators}
    for ref, indicator in new_indicators.items():
        previous = old_indicators.get(ref)
        if previous is None:
            changes.append(Change(ADDED, "indicator", (number, *ref), new=indicator.text))
            continue
        if previous.text != indicator.text:
            changes.append(Change(CHANGED, "indicator", (number, *ref), "text", previous.text, indicator.text))
        if previous.unlettered != indicator.unlettered:
            changes.append(
                Change(CHANGED, "indicator", (number, *ref), "unlettered", previous.unlettered, indicator.unlettered)
            )
        changes += _details("indicator", (number, *ref), previous.source, indicator.source)
    changes += [
        Change(REMOVED, "indicator", (number, *ref), old=i.text)
        for ref, i in old_indicators.items()
        if ref not in new_indicators
    ]
    old_repeals, new_repeals = _repeals(before), _repeals(after)
    changes += [Change(ADDED, "repeal", (number, level, key, action, by)) for action, by, level, key in
                sorted(new_repeals - old_repeals)]
    changes += [Change(REMOVED, "repeal", (number, level, key, action, by)) for action, by, level, key in
                sorted(old_repeals - new_repeals)]
    return changes


_WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """The words of two texts as (op, text) runs: "equal", "delete" or "insert", for showing a correction."""
    a, b = _WORD.findall(old or ""), _WORD.findall(new or "")
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
    return runs
