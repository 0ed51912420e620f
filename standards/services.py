"""Writes of the standards app: loading the bundled catalogs, importing and applying uploaded ones.

``catalog_apply`` is the one writer of catalog content. It is idempotent (applying the same
catalog twice changes nothing) and never deletes what something else refers to: an indicator,
criterion, standard or version that left the catalog but is still referenced by a PROTECT
foreign key (a report's verdict) is kept and marked repealed instead.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemdinh.i18n import N_
from kiemdinh.permissions import require
from kiemdinh.workflow import PermissionRefused, Step, Transition, Workflow, WorkflowError, last_step, register

from .catalog import CatalogSpec, VersionSpec, derive_versions, group_problems, is_group, split_group
from .exporters import catalog_dict, catalog_fingerprint
from .importers import Issue, locator, overlay_xlsx, parse_json, parse_xlsx, validate_catalog
from .models import CatalogImport, Criterion, Indicator, Level4Requirement, Regulation, RegulationVersion, Standard

if TYPE_CHECKING:
    from schools.models import User

M = TypeVar("M", bound=Model)

DATA_DIR = Path(__file__).resolve().parent / "data"

LABELS = {
    "regulation": gettext_lazy("văn bản"),
    "version": gettext_lazy("phiên bản"),
    "standard": gettext_lazy("tiêu chuẩn"),
    "criterion": gettext_lazy("tiêu chí"),
    "indicator": gettext_lazy("chỉ báo"),
    "level4": gettext_lazy("yêu cầu Mức 4"),
}


class CatalogError(Exception):
    """A catalog cannot be loaded or applied; ``issues`` locate the problems when there are several."""

    def __init__(self, message: str, issues: list[Issue] | None = None):
        super().__init__(message)
        self.message = message
        self.issues = issues or []


@dataclass
class ApplyReport:
    code: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    # Left the catalog but kept, marked repealed, because something refers to them.
    retired: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any((self.created, self.updated, self.deleted, self.retired))

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: dict(getattr(self, name))
            for name in ("created", "updated", "deleted", "retired")
            if getattr(self, name)
        }

    def describe(self) -> str:
        if not self.changed:
            return _("%(code)s: không thay đổi") % {"code": self.code}
        parts = []
        for name, verb in (
            ("created", _("tạo mới")), ("updated", _("cập nhật")), ("deleted", _("xóa")),
            ("retired", _("giữ lại và đánh dấu bãi bỏ (đang được sử dụng)")),
        ):
            counts = getattr(self, name)
            if counts:
                parts.append(f"{verb} " + ", ".join(f"{n} {LABELS[label]}" for label, n in counts.items()))
        return f"{self.code}: " + "; ".join(parts)


def _upsert(obj: M | None, model: type[M], report: ApplyReport, label: str, fields: dict[str, Any], **identity: Any) -> M:
    """Create, or update only the fields that differ, so that re-applying the same data writes nothing."""
    if obj is None:
        report.created[label] += 1
        # The django-stubs plugin drops ``objects`` from a generic ``type[Model]``; every catalog model has it.
        created: M = cast(Any, model).objects.create(**identity, **fields)
        return created
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed)
        report.updated[label] += 1
    return obj


def _retire(obj: Model, report: ApplyReport, label: str) -> None:
    """Delete ``obj``; when something refers to it, keep it and mark it repealed instead."""
    try:
        with transaction.atomic():
            obj.delete()
        report.deleted[label] += 1
    except (ProtectedError, RestrictedError):
        fields: dict[str, Any] = {"is_repealed": True}
        if hasattr(obj, "repealed_by"):
            fields["repealed_by"] = ""
        changed = [name for name, value in fields.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, fields[name])
            obj.save(update_fields=changed)
            report.retired[label] += 1


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


@transaction.atomic
def catalog_apply(*, spec: CatalogSpec, by: User | None = None) -> ApplyReport:
    """Write a validated catalog (all its versions) to the database; ``by`` None means a system command."""
    if by is not None:
        require(by, "catalog.manage")
    report = ApplyReport(spec.code)
    regulation = Regulation.objects.select_for_update().filter(code=spec.code).first()
    fields = {
        "document_number": spec.document_number,
        "title": spec.title,
        "issuer": spec.issuer,
        "issued": spec.issued,
        "effective": spec.effective,
        "school_levels": spec.school_levels,
        "family": spec.family,
        "evidence_code_scheme": spec.evidence_code_scheme,
        "status": spec.status,
        "verification_status": spec.verification_status,
        "verification_note": spec.verification_note,
        "provenance": spec.provenance,
        "level_count": spec.level_count,
        "is_complete": spec.complete,
        "expected_criteria": spec.expected_criteria,
        "group_code": spec.group_code,
        "appendix": spec.appendix,
        "first_school_year": spec.first_school_year,
        "source": _dumps(spec.source),
    }
    regulation = _upsert(regulation, Regulation, report, "regulation", fields, code=spec.code)
    existing = {v.code: v for v in regulation.versions.all()}
    for position, version_spec in enumerate(derive_versions(spec)):
        version = _upsert(
            existing.pop(version_spec.code, None), RegulationVersion, report, "version",
            {
                "title": version_spec.title,
                "amended_by": version_spec.amended_by,
                "effective": version_spec.effective,
                "is_base": version_spec.is_base,
                "position": position,
                "note": version_spec.note,
                "is_repealed": False,
            },
            regulation=regulation, code=version_spec.code,
        )
        _sync_version(version, version_spec, report)
    for version in existing.values():
        _retire(version, report, "version")
    return report


def _sync_version(version: RegulationVersion, spec: VersionSpec, report: ApplyReport) -> None:
    standards = {s.number: s for s in version.standards.all()}
    criteria = {c.number: c for c in Criterion.objects.filter(standard__version=version)}
    indicators = {
        (i.criterion_id, i.level, i.key): i for i in Indicator.objects.filter(criterion__standard__version=version)
    }
    level4 = {r.number: r for r in version.level4_requirements.all()}
    seen_indicators = set()
    new_indicators = []
    criterion_position = 0
    for standard_position, standard_spec in enumerate(spec.standards):
        standard = _upsert(
            standards.pop(standard_spec.number, None), Standard, report, "standard",
            {"title": standard_spec.title or "", "position": standard_position, "is_repealed": False,
             "title_variants": standard_spec.title_variants, "source": _dumps(standard_spec.source)},
            version=version, number=standard_spec.number,
        )
        for criterion_spec in standard_spec.criteria:
            criterion = _upsert(
                criteria.pop(criterion_spec.number, None), Criterion, report, "criterion",
                {"standard_id": standard.pk, "title": criterion_spec.title or "",
                 "applies_to": criterion_spec.applies_to, "position": criterion_position, "is_repealed": False,
                 "mandatory": criterion_spec.mandatory, "evidence_hints": criterion_spec.evidence_hints,
                 "quantitative_data": criterion_spec.quantitative_data,
                 "quantitative_indicators": criterion_spec.quantitative_indicators,
                 "title_variants": criterion_spec.title_variants, "agreement": criterion_spec.agreement,
                 "source": _dumps(criterion_spec.source)},
                number=criterion_spec.number,
            )
            criterion_position += 1
            positions: Counter[int] = Counter()
            for indicator_spec in criterion_spec.indicators:
                identity = (criterion.pk, indicator_spec.level, indicator_spec.key)
                seen_indicators.add(identity)
                fields = {
                    "text": indicator_spec.text or "",
                    "unlettered": indicator_spec.unlettered,
                    "position": positions[indicator_spec.level],
                    "is_repealed": indicator_spec.is_repealed,
                    "repealed_by": indicator_spec.repealed_by,
                    "amended_by": indicator_spec.amended_by,
                    "amended_text_pending": indicator_spec.amended_text_pending,
                    "source": _dumps(indicator_spec.source),
                }
                positions[indicator_spec.level] += 1
                current = indicators.get(identity)
                if current is None:
                    # Bulk-created below: the first load creates hundreds of indicators at once.
                    new_indicators.append(
                        Indicator(criterion=criterion, level=indicator_spec.level, key=indicator_spec.key, **fields)
                    )
                    report.created["indicator"] += 1
                else:
                    _upsert(current, Indicator, report, "indicator", fields)
    Indicator.objects.bulk_create(new_indicators)
    for position, requirement in enumerate(spec.level4):
        _upsert(
            level4.pop(requirement.number, None), Level4Requirement, report, "level4",
            {"article": requirement.article, "text": requirement.text, "position": position, "is_repealed": False,
             "source": _dumps(requirement.source)},
            version=version, number=requirement.number,
        )
    # Children before parents, so that a parent is only kept when a child of it is referenced.
    for identity, indicator in indicators.items():
        if identity not in seen_indicators:
            _retire(indicator, report, "indicator")
    for criterion in criteria.values():
        _retire(criterion, report, "criterion")
    for standard in standards.values():
        _retire(standard, report, "standard")
    for stale_requirement in level4.values():
        _retire(stale_requirement, report, "level4")


def _issues_as_data(issues: list[Issue]) -> list[dict[str, Any]]:
    return [{"where": i.where, "message": i.message, "path": i.path, "row": i.row} for i in issues]


def catalog_read(*, content: bytes, file_name: str) -> tuple[dict[str, Any] | None, CatalogSpec | None, list[Issue], list[Issue]]:
    """Parse and validate an uploaded file: (catalog dict, spec, errors, warnings). Reads only."""
    if file_name.lower().endswith(".xlsx"):
        data, locations, issues = parse_xlsx(content)
        locate = locator(locations)
        if data is not None and not issues:
            current = Regulation.objects.filter(code=str(data.get("code") or "").strip()).first()
            if current is not None:
                # XLSX holds only texts and numbers: keep the catalog's notes, sources and verbatim rules.
                data = overlay_xlsx(catalog_dict(current), data)
    else:
        data, issues = parse_json(content)
        locate = None
    if issues:
        return None, None, issues, []
    spec, errors, warnings = validate_catalog(data, locate=locate)
    return data, spec, errors, warnings


def catalog_import_create(*, content: bytes, file_name: str, by: User) -> tuple[CatalogImport | None, list[Issue]]:
    """Validate an uploaded catalog and keep it for review; nothing is applied yet. Returns (import, errors)."""
    require(by, "catalog.manage")
    data, spec, errors, warnings = catalog_read(content=content, file_name=file_name)
    if errors or spec is None:
        return None, errors
    current = Regulation.objects.filter(code=spec.code).first()
    catalog_import = CatalogImport.objects.create(
        regulation_code=spec.code,
        file_name=file_name[:255],
        format=CatalogImport.Format.XLSX if file_name.lower().endswith(".xlsx") else CatalogImport.Format.JSON,
        payload=_dumps(data),
        base_fingerprint=catalog_fingerprint(catalog_dict(current) if current else None),
        warnings=_issues_as_data(warnings),
        created_by=by,
    )
    return catalog_import, []


def catalog_import_apply(*, catalog_import: CatalogImport, by: User) -> ApplyReport:
    """Apply a reviewed import, provided the catalog has not changed since its diff was shown."""
    return cast(ApplyReport, _apply(catalog_import, "apply", by).result)


def _apply_effect(step: Step) -> None:
    catalog_import, by = step.obj, step.by
    current = Regulation.objects.filter(code=catalog_import.regulation_code).first()
    if catalog_fingerprint(catalog_dict(current) if current else None) != catalog_import.base_fingerprint:
        raise CatalogError(
            _("Bộ tiêu chuẩn %(code)s đã thay đổi sau khi bạn xem trước. Hãy tải tệp lên lại để xem thay đổi mới.")
            % {"code": catalog_import.regulation_code}
        )
    spec, errors, _warnings = validate_catalog(catalog_import.payload_data)
    if errors or spec is None:
        raise CatalogError(_("Tệp không còn hợp lệ."), errors)
    report = catalog_apply(spec=spec, by=by)
    catalog_import.summary = report.as_dict()
    _decided(step)
    step.update_fields.append("summary")
    step.audit_data = {"regulation": catalog_import.regulation_code, "file_name": catalog_import.file_name}
    step.result = report


def catalog_import_discard(*, catalog_import: CatalogImport, by: User) -> None:
    """Drop a pending import without applying it."""
    _apply(catalog_import, "discard", by)


def _decided(step: Step) -> None:
    step.obj.decided_by, step.obj.decided_at = step.by, timezone.now()
    step.update_fields = ["decided_by", "decided_at"]
    step.audit_data = {"regulation": step.obj.regulation_code, "file_name": step.obj.file_name}


def _apply(catalog_import: CatalogImport, action: str, by: User) -> Step:
    """Make ``action`` on a pending import through the workflow layer; the step made (its result)."""
    try:
        locked = CATALOG_IMPORT.apply(catalog_import, action, by)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from None
    except WorkflowError as exc:
        raise CatalogError(exc.message) from None
    step = last_step(locked)
    if step is None:  # step is None
        raise RuntimeError('broken invariant: step is None')
    return step


# An uploaded catalog waits for an administrator, who applies it or drops it (declared once).
CATALOG_IMPORT = register(Workflow(
    "standards.catalog_import", "standards.CatalogImport",
    transitions=(
        Transition(action="apply", source=CatalogImport.Status.PENDING, target=CatalogImport.Status.APPLIED,
                   rule="catalog.manage", verb="applied", label=N_("Áp dụng thay đổi"), effect=_apply_effect),
        Transition(action="discard", source=CatalogImport.Status.PENDING, target=CatalogImport.Status.DISCARDED,
                   rule="catalog.manage", verb="discarded", label=N_("Hủy lần nhập"), effect=_decided),
    ),
    audit_prefix="standards.catalog_import",
    refused_message=gettext_lazy("Lần nhập này đã được xử lý trước đó."),
    tones={CatalogImport.Status.PENDING: "warning", CatalogImport.Status.APPLIED: "success",
           CatalogImport.Status.DISCARDED: "secondary"},
))


def bundled_catalog_paths() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


@dataclass
class SkippedReport:
    """A bundled catalog not loaded because an administrator corrected the catalog through an import."""

    code: str
    changed = False

    def describe(self) -> str:
        return _("%(code)s: bỏ qua vì đã được sửa bằng tệp nhập (dùng --force để ghi đè)") % {"code": self.code}


@transaction.atomic
def catalogs_load(*, paths: list[Path], by: User | None = None, force: bool = False) -> list[ApplyReport | SkippedReport]:
    """Load catalog files in one transaction: one bad file and nothing is loaded.

    A catalog an administrator has corrected through an import is left alone unless ``force``:
    re-running the loader on deployment must not undo a correction.
    """
    corrected = set(
        CatalogImport.objects.filter(status=CatalogImport.Status.APPLIED).values_list("regulation_code", flat=True)
    )
    reports: list[ApplyReport | SkippedReport] = []
    for path in paths:
        data, issues = parse_json(path.read_bytes())
        if issues:
            raise CatalogError(_("Tệp %(name)s không hợp lệ.") % {"name": path.name}, issues)
        for catalog in _catalogs_of(data, path):
            spec, errors, _warnings = validate_catalog(catalog)
            if errors or spec is None:
                raise CatalogError(_("Tệp %(name)s không hợp lệ.") % {"name": path.name}, errors)
            if spec.code in corrected and not force:
                reports.append(SkippedReport(spec.code))
                continue
            reports.append(catalog_apply(spec=spec, by=by))
    return reports


def _catalogs_of(data: Any, path: Path) -> list[Any]:
    """The catalogs of one file: itself, or one per appendix for a group file (TT57/2026)."""
    if not is_group(data):
        return [data]
    problems = group_problems(data)
    if problems:
        raise CatalogError(
            _("Tệp %(name)s gồm nhiều phụ lục nhưng thiếu mã cho từng phụ lục (catalog.appendices) hoặc có khóa trùng: %(keys)s.")
            % {"name": path.name, "keys": ", ".join(problems)}
        )
    return split_group(data)
