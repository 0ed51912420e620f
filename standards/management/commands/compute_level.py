"""Compute a school's levels from a JSON assessment: ``manage.py compute_level [FILE or -]``.

Input (file, or standard input when FILE is "-" or absent)::

    {"regulation": "TT18/2018",              # required: a loaded regulation code
     "version": "TT22/2024",                 # optional: a version code; or
     "date": "2025-03-01",                   # optional: the version in force that day (default today)
     "school": {"completed_cohorts": 3, "years_operating": 12},   # TT57 also "years_of_data": 3
     "indicators": {"1.1": {"1": {"a": true, "b": true, "c": true}, "2": {"a": true}, "3": {"a": false}}, ...},
     "level4": {"1": true, ...}}

or ``"criteria": {"1.1": 2, ...}`` (legacy: ``true``/``false``) instead of ``indicators``. A
regulation issued as several catalogs is named by its group code with the school's level choosing
the catalog: ``{"regulation": "TT57/2026", "school": {"school_level": "lower_secondary",
"completed_cohorts": 3, "years_of_data": 3}, "criteria": {"1.1": 2, "1.3": 1, ...}}`` (Phụ lục II;
"preschool" picks Phụ lục I). Prints
``{"criteria": {...}, "school_level": 2, "accreditation_level": 2, "national_standard": 1,
"blockers": [...], ...}``. Bad input exits with status 1 and a message naming the field.
"""

from __future__ import annotations

import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from standards import engine
from standards.catalog import school_level_code
from standards.explain import engine_error_message, result_as_dict
from standards.models import Regulation
from standards.selectors import catalog_rules_for, version_in_force

TOP_LEVEL_KEYS = {"regulation", "version", "date", "school", "indicators", "criteria", "level4"}
SCHOOL_KEYS = {"completed_cohorts", "years_operating", "years_of_data", "school_level"}


def _fail(field: str, message: str) -> CommandError:
    return CommandError(f"{field}: {message}" if field else message)


def _object(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(field, _("phải là một đối tượng JSON"))
    return value


def _count(value, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(field, _("phải là số nguyên không âm hoặc null"))
    return value


def parse_indicators(data) -> dict[str, dict[int, dict[str, bool]]]:
    """JSON object keys are strings: turn level keys into ints, keep every other check for the engine."""
    tree = {}
    for number, levels in _object(data, "indicators").items():
        by_level = {}
        for level, keys in _object(levels, f"indicators.{number}").items():
            if not str(level).isdigit():
                raise _fail(f"indicators.{number}.{level}", _("mức phải là số (1, 2, 3)"))
            by_level[int(level)] = _object(keys, f"indicators.{number}.{level}")
        tree[number] = by_level
    return tree


class Command(BaseCommand):
    help = "Tính mức của trường từ kết quả đánh giá (JSON vào, JSON ra)."
    # A computation from a file: the system checks would import every view (PDF and spreadsheet
    # libraries included) and triple the start-up time; `manage.py check` runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="Tệp JSON đầu vào, hoặc - để đọc từ stdin.")

    def handle(self, *args, file="-", **options):
        data = self._read(file)
        result = self.compute(data)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, file: str):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            raise _fail("", _("không đọc được tệp %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail("", _("JSON không hợp lệ ở dòng %(line)s, cột %(col)s: %(msg)s") % {
                "line": exc.lineno, "col": exc.colno, "msg": exc.msg,
            }) from None

    def compute(self, data) -> dict:
        data = _object(data, _("(gốc)"))
        unknown = sorted(set(data) - TOP_LEVEL_KEYS)
        if unknown:
            raise _fail(unknown[0], _("trường không được hỗ trợ"))
        code = data.get("regulation")
        if not isinstance(code, str) or not code:
            raise _fail("regulation", _("thiếu mã bộ tiêu chuẩn (vd. TT18/2018)"))
        school = _object(data.get("school") or {}, "school")
        for key in school:
            if key not in SCHOOL_KEYS:
                raise _fail(f"school.{key}", _("trường không được hỗ trợ"))
        regulation = Regulation.objects.prefetch_related("versions").filter(code=code).first()
        if regulation is None:
            regulation = self._group_member(code, school.get("school_level"))
        if regulation is None:
            known = ", ".join(Regulation.objects.order_by("code").values_list("code", flat=True)) or "—"
            raise _fail("regulation", _("không có bộ tiêu chuẩn “%(code)s” (đã nạp: %(known)s)") % {
                "code": code, "known": known,
            })
        version = self._version(regulation, data)
        facts = engine.SchoolFacts(
            completed_cohorts=_count(school.get("completed_cohorts"), "school.completed_cohorts"),
            years_operating=_count(school.get("years_operating"), "school.years_operating"),
            years_of_data=_count(school.get("years_of_data"), "school.years_of_data"),
        )
        verdicts = engine.Verdicts(
            indicators=parse_indicators(data["indicators"]) if "indicators" in data else None,
            criteria=_object(data["criteria"], "criteria") if "criteria" in data else None,
            level4=_object(data.get("level4") or {}, "level4"),
        )
        try:
            result = engine.evaluate(catalog_rules_for(version), verdicts, facts)
        except engine.EngineError as exc:
            raise _fail("", engine_error_message(exc)) from None
        return result_as_dict(result)

    @staticmethod
    def _group_member(code: str, school_level) -> Regulation | None:
        """The catalog of a group (TT57/2026) that covers the school's level; None when ``code`` is no group."""
        members = list(Regulation.objects.prefetch_related("versions").filter(group_code=code).order_by("code"))
        if not members:
            return None
        level = school_level_code(school_level) if isinstance(school_level, str) else None
        if level is None:
            raise _fail("school.school_level", _(
                "“%(code)s” gồm nhiều phụ lục: cần cấp học của trường (preschool, primary, lower_secondary, "
                "upper_secondary, multi_level) để chọn phụ lục"
            ) % {"code": code})
        for member in members:
            if level in (member.school_levels or []):
                return member
        raise _fail("school.school_level", _("“%(code)s” không có phụ lục cho cấp học này") % {"code": code})

    @staticmethod
    def _version(regulation: Regulation, data: dict):
        versions = [v for v in regulation.versions.all() if not v.is_repealed]
        if "version" in data:
            match = [v for v in versions if v.code == data["version"]]
            if not match:
                known = ", ".join(v.code for v in versions)
                raise _fail("version", _("không có phiên bản “%(code)s” (có: %(known)s)") % {
                    "code": data["version"], "known": known,
                })
            version = match[0]
        else:
            on_date = timezone.localdate()
            if "date" in data:
                try:
                    on_date = datetime.date.fromisoformat(str(data["date"]))
                except ValueError:
                    raise _fail("date", _("phải là ngày dạng YYYY-MM-DD")) from None
            version = version_in_force(versions, on_date) or max(versions, key=lambda v: v.position)
        version.regulation = regulation
        return version
