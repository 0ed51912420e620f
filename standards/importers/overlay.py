"""Correcting a catalog from XLSX: the sheet carries only texts and numbers; keep everything else.

The current catalog's notes, sources, verification records and verbatim rule texts stay; only
what the sheet holds replaces them, so that re-importing an unchanged export changes nothing.
"""

from __future__ import annotations

from typing import Any

from ..catalog import SCHOOL_LEVEL_CODES, SCHOOL_LEVEL_WORDS, amendment_action, school_level_code


def _merge(base: dict | None, new: dict, children: tuple[str, ...] = ()) -> dict:
    if not base:
        return new
    merged = dict(base)
    for key, value in new.items():
        if key in children:
            continue
        if key not in base and value in (None, False, "", [], {}):
            continue
        merged[key] = value
    return merged


def _repeal_set(criterion: dict) -> set[tuple[str, str, str]]:
    levels = criterion.get("levels")
    keys_by_level = (
        {str(level): [i.get("key") for i in items] for level, items in levels.items()}
        if isinstance(levels, dict)
        else {"1": [i.get("key") for i in criterion.get("indicators") or []]}
    )
    found = set()
    for entry in criterion.get("amendments") or []:
        if amendment_action(entry) != "repealed":
            continue
        level = str(entry.get("level"))
        key = str(entry.get("indicator_key") or "*")
        for k in keys_by_level.get(level, []) if key == "*" else [key]:
            found.add((str(entry.get("by")), level, k))
    return found


def _merge_criterion(base: dict, new: dict) -> dict:
    merged = _merge(base, new, children=("levels", "indicators", "amendments"))
    if _uses_words(base.get("applies_to")) and merged.get("applies_to"):
        merged["applies_to"] = _as_words(merged["applies_to"])
    if "levels" in new:
        base_levels = base.get("levels") if isinstance(base.get("levels"), dict) else {}
        merged["levels"] = {
            level: _merge_list(base_levels.get(level) or [], items, key="key")
            for level, items in new["levels"].items()
        }
    if "indicators" in new:
        merged["indicators"] = _merge_list(base.get("indicators") or [], new["indicators"], key="key")
    if _repeal_set(merged | {"amendments": new.get("amendments")}) != _repeal_set(base):
        kept = [e for e in base.get("amendments") or [] if amendment_action(e) != "repealed"]
        merged["amendments"] = kept + list(new.get("amendments") or [])
        if not merged["amendments"]:
            merged.pop("amendments", None)
    return merged


def _uses_words(levels: Any) -> bool:
    """Whether a catalog spells school levels as words ("primary"), which a re-import must keep."""
    return bool(levels) and isinstance(levels, list) and all(v in SCHOOL_LEVEL_CODES for v in levels)


def _as_words(levels: list[str]) -> list[str]:
    return [SCHOOL_LEVEL_WORDS.get(school_level_code(v) or v, v) for v in levels]


def _merge_list(base: list, new: list, *, key: str, merge=None) -> list:
    by_key = {item.get(key): item for item in base if isinstance(item, dict)}
    merge = merge or (lambda b, n: _merge(b, n))
    return [merge(by_key.get(item.get(key)), item) if by_key.get(item.get(key)) else item for item in new]


def overlay_xlsx(base: dict, new: dict) -> dict:
    """The current catalog ``base`` corrected by an XLSX-read catalog ``new``, keeping what XLSX cannot hold."""
    new = dict(new)
    if "number" in new and "document_number" in base and "number" not in base:
        new["document_number"] = new.pop("number")
    if _uses_words(base.get("school_levels")):
        new["school_levels"] = _as_words(new.get("school_levels") or [])
    if not new.get("source") and base.get("source"):
        new.pop("source", None)
    merged = _merge(base, new, children=("catalog", "amendments", "standards", "level4_requirements", "rules"))
    merged["catalog"] = {**(base.get("catalog") or {}), **(new.get("catalog") or {})}
    merged["amendments"] = _merge_list(base.get("amendments") or [], new.get("amendments") or [], key="number")
    if not merged["amendments"] and "amendments" not in base:
        merged.pop("amendments")

    def merge_standard(b, n):
        standard = _merge(b, n, children=("criteria",))
        standard["criteria"] = _merge_list(b.get("criteria") or [], n.get("criteria") or [], key="number",
                                           merge=_merge_criterion)
        return standard

    merged["standards"] = _merge_list(base.get("standards") or [], new.get("standards") or [], key="number",
                                      merge=merge_standard)
    if "level4_requirements" in new or "level4_requirements" in base:
        merged["level4_requirements"] = _merge_list(
            base.get("level4_requirements") or [], new.get("level4_requirements") or [], key="number"
        )
    if new.get("rules"):
        rules = dict(base.get("rules") or {})
        for section, rungs in new["rules"].items():
            current = dict(rules.get(section) or {})
            section_data = {}
            for level, entry in rungs.items():
                old = current.get(level) if isinstance(current.get(level), dict) else {}
                rung = _merge(old, entry, children=("structured",))
                if entry.get("structured") is None:
                    rung["structured"] = None
                else:
                    rung["structured"] = _merge(old.get("structured") or {}, entry["structured"])
                section_data[level] = rung
            # Keep the section's own order (notes between rungs), replacing the rungs the sheet gives.
            ordered = {
                k: section_data[k] if str(k).isdigit() else v
                for k, v in current.items()
                if not str(k).isdigit() or k in section_data
            }
            rules[section] = {**ordered, **{k: v for k, v in section_data.items() if k not in ordered}}
        merged["rules"] = rules
    return merged
