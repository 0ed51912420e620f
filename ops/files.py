"""The stored files the database refers to, with the hash each row recorded.

Every model with a FileField is found by introspection (today evidence.Evidence and
exports.ExportJob), so a new kind of stored file is backed up and moved without touching this
module. A row's ``sha256`` field, when the model has one, is the hash its file must have.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class StoredFile:
    name: str  # the name in the storage (the FileField's value)
    model: str  # "evidence.evidence"
    pk: int
    sha256: str  # recorded by the row; "" when the model keeps none


def file_models() -> list[tuple[type[models.Model], list[str], bool]]:
    """(model, its FileField names, whether it records a sha256) for every model with files."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        if names:
            has_hash = any(f.name == "sha256" for f in model._meta.get_fields())
            found.append((model, names, has_hash and len(names) == 1))
    return sorted(found, key=lambda item: item[0]._meta.label_lower)


def referenced_files() -> dict[str, list[StoredFile]]:
    """Every file name a row refers to, with the rows (two items may share one file)."""
    refs: dict[str, list[StoredFile]] = {}
    for model, names, has_hash in file_models():
        label = model._meta.label_lower
        for field in names:
            columns = ["pk", field] + (["sha256"] if has_hash else [])
            for row in model._default_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}).values_list(
                *columns
            ):
                name = row[1]
                refs.setdefault(name, []).append(
                    StoredFile(name=name, model=label, pk=row[0], sha256=row[2] if has_hash else "")
                )
    return refs


def expected_hash(rows: list[StoredFile]) -> str:
    """The hash the rows agree on ("" when none records one)."""
    hashes = {row.sha256 for row in rows if row.sha256}
    return hashes.pop() if len(hashes) == 1 else ("" if not hashes else "conflict")
