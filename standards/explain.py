"""Words for what the pure modules return as data: engine blockers and errors, diff changes, rules.

The engine and the diff stay free of Django; this module gives their codes Vietnamese,
translatable sentences for pages, the compute_level command and other apps (part 3 reports).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from schools.models import School

from .diff import ADDED, CHANGED, REMOVED, Change
from .engine import Blocker, EngineError, LevelRule, family2026, get_family
from .engine import types as t

FACTS = {
    "completed_cohorts": lambda: _("số khóa học sinh đã hoàn thành chương trình"),
    "years_operating": lambda: _("số năm hoạt động"),
    "years_of_data": lambda: _("số năm học liên tiếp có dữ liệu tự đánh giá"),
}
TARGETS = {
    "criterion": lambda level: _("Mức %(l)s") % {"l": level},
    "school_level": lambda level: _("Mức %(l)s của trường") % {"l": level},
    "accreditation": lambda level: _("Cấp độ %(l)s") % {"l": level},
    "national_standard": lambda level: _("chuẩn quốc gia Mức độ %(l)s") % {"l": level},
}


def _percent(value) -> str:
    from fractions import Fraction

    share = Fraction(str(value)) * 100
    return f"{float(share):g}%"


def blocker_message(blocker: Blocker) -> str:
    """One sentence saying what blocks which level."""
    target = TARGETS.get(blocker.target, lambda level: str(level))(blocker.level)
    d = dict(blocker.detail)
    code = blocker.code
    if code == t.INDICATOR_NOT_MET and d.get("unlettered"):
        return _("Yêu cầu Mức %(l)s của tiêu chí %(c)s chưa đạt.") % {"l": blocker.indicator_level, "c": blocker.criterion}
    if code == t.INDICATOR_NOT_MET:
        return _("Chỉ báo %(k)s Mức %(l)s của tiêu chí %(c)s chưa đạt.") % {
            "k": blocker.indicator_key, "l": blocker.indicator_level, "c": blocker.criterion,
        }
    if code == t.CRITERION_BELOW:
        return _("Tiêu chí %(c)s mới đạt Mức %(have)s, chưa đủ để trường đạt Mức %(level)s.") % {
            "c": blocker.criterion, "have": d.get("criterion_level"), "level": blocker.level,
        }
    if code == t.CRITERION_NOT_MET:
        return _("Tiêu chí %(c)s chưa đạt.") % {"c": blocker.criterion}
    if code == t.LEVEL4_NOT_MET:
        return _("Yêu cầu Mức 4 số %(n)s chưa đạt.") % {"n": d.get("requirement")}
    if code == t.PRECONDITION_NOT_MET:
        return _("Chưa đủ điều kiện %(target)s: %(fact)s là %(actual)s, cần ít nhất %(required)s.") % {
            "target": target, "fact": FACTS[d["fact"]](), "actual": d.get("actual"), "required": d.get("required"),
        }
    if code == t.PRECONDITION_UNKNOWN:
        return _("Chưa xác định được %(target)s: thiếu %(fact)s (cần ít nhất %(required)s).") % {
            "target": target, "fact": FACTS[d["fact"]](), "required": d.get("required"),
        }
    if code == t.RULE_MISSING:
        if d.get("part") == "required_criteria":
            message = _("Chưa xác định được %(target)s: dữ liệu chưa có danh sách tiêu chí bắt buộc.") % {"target": target}
        else:
            message = _("Chưa xác định được %(target)s: bộ tiêu chuẩn chưa có quy định này.") % {"target": target}
        if d.get("at_least"):
            message += " " + _("Trường đạt ít nhất Cấp độ %(l)s.") % {"l": d["at_least"]}
        return message
    if code == t.SHARE_TOO_LOW:
        return _("%(target)s cần từ %(min)s tiêu chí đạt; hiện đạt %(met)s/%(total)s, còn thiếu %(missing)s tiêu chí.") % {
            "target": target, "min": _percent(d["min_share"]), "met": d["met"], "total": d["total"],
            "missing": d["missing"],
        }
    if code == t.REQUIRED_CRITERION_NOT_MET:
        return _("%(target)s bắt buộc tiêu chí %(c)s đạt.") % {"target": target, "c": blocker.criterion}
    if code == t.MANDATORY_BELOW:
        if not d.get("criterion_level"):
            return _("Tiêu chí bắt buộc %(c)s không đạt Mức %(need)s, nên trường chưa đạt Mức %(level)s.") % {
                "c": blocker.criterion, "need": d.get("required_level"), "level": blocker.level,
            }
        return _("Tiêu chí bắt buộc %(c)s mới đạt Mức %(have)s, cần Mức %(need)s để trường đạt Mức %(level)s.") % {
            "c": blocker.criterion, "have": d.get("criterion_level"), "need": d.get("required_level"),
            "level": blocker.level,
        }
    if code == t.OTHERS_TOO_FEW:
        return _("Tiêu chí không bắt buộc đạt Mức %(need)s trở lên: %(reached)s/%(total)s, cần %(required)s để trường đạt Mức %(level)s.") % {
            "need": d.get("required_level"), "reached": d.get("reached"), "total": d.get("total"),
            "required": d.get("required"), "level": blocker.level,
        }
    if code == t.OTHER_BELOW_MINIMUM:
        return _("Tiêu chí %(c)s chưa đạt Mức %(need)s; để trường đạt Mức %(level)s, mọi tiêu chí còn lại phải đạt tối thiểu Mức %(need)s.") % {
            "c": blocker.criterion, "need": d.get("required_level"), "level": blocker.level,
        }
    if code == t.CATALOG_INCOMPLETE:
        return _("Chưa xác định được: bộ tiêu chuẩn mới có %(n)s tiêu chí%(expected)s, cần nhập đủ.") % {
            "n": d.get("criteria"),
            "expected": (_(" trên %(e)s") % {"e": d["expected"]}) if d.get("expected") else "",
        }
    return code


ERRORS = {
    "both_or_neither": lambda p: _("cần “indicators” (kết quả từng chỉ báo) hoặc “criteria” (mức từng tiêu chí)"),
    "unknown_criterion": lambda p: _("tiêu chí không có trong bộ tiêu chuẩn"),
    "missing_criterion": lambda p: _("thiếu kết quả của tiêu chí này"),
    "level_out_of_range": lambda p: _("giá trị ngoài khoảng %(low)s..%(high)s") % p,
    "unknown_indicator": lambda p: _("chỉ báo không có trong bộ tiêu chuẩn"),
    "not_boolean": lambda p: _("phải là true hoặc false"),
    "unknown_level4": lambda p: _("không có yêu cầu Mức 4 này"),
    "unknown_family": lambda p: _("họ quy tắc không tồn tại"),
    "not_whole_number": lambda p: _("phải là số nguyên không âm"),
    "not_share": lambda p: _("phải là tỷ lệ từ 0 đến 1"),
    "not_criterion_list": lambda p: _("phải là danh sách số tiêu chí hoặc null"),
    "not_ladder": lambda p: _("phải là đối tượng theo cấp"),
    "rule_missing": lambda p: _("bộ tiêu chuẩn chưa có quy định này"),
}


def engine_error_message(error: EngineError) -> str:
    words = ERRORS.get(error.code)
    message = words(error.params) if words else error.message
    return f"{error.field}: {message}" if error.field else message


def result_as_dict(result) -> dict:
    """The engine result as JSON data, each blocker with its sentence."""
    data = result.as_dict()
    for item, blocker in zip(data["blockers"], result.blockers, strict=True):
        item["message"] = blocker_message(blocker)
    for number, items in data["criteria_blockers"].items():
        for item, blocker in zip(items, result.criteria[number].blockers, strict=True):
            item["message"] = blocker_message(blocker)
    return data


def rule_summary(rule: LevelRule) -> str:
    """A rung of a ladder in one sentence, from the catalog's structured data."""
    if not rule.known:
        return _("Chưa có quy định trong dữ liệu (cần nhập từ văn bản gốc).")
    parts = []
    if rule.school_level_required is not None:
        parts.append(_("trường được đánh giá đạt Mức %(l)s") % {"l": rule.school_level_required})
    if rule.min_share is not None and rule.max_share_exclusive is not None:
        parts.append(_("từ %(a)s đến dưới %(b)s tiêu chí đạt") % {
            "a": _percent(rule.min_share), "b": _percent(rule.max_share_exclusive)})
    elif rule.min_share is not None:
        parts.append(_("từ %(a)s tiêu chí đạt trở lên") % {"a": _percent(rule.min_share)})
    if rule.required_criteria is None:
        parts.append(_("phải đạt một danh sách tiêu chí chưa có trong dữ liệu"))
    elif rule.required_criteria:
        parts.append(_("phải đạt các tiêu chí %(list)s") % {"list": ", ".join(rule.required_criteria)})
    if rule.min_completed_cohorts:
        parts.append(_("có ít nhất %(n)s khóa học sinh hoàn thành chương trình") % {"n": rule.min_completed_cohorts})
    if rule.min_years_operating:
        parts.append(_("hoạt động ít nhất %(n)s năm") % {"n": rule.min_years_operating})
    if rule.min_years_of_data:
        parts.append(_("có dữ liệu tự đánh giá của ít nhất %(n)s năm học liên tiếp") % {"n": rule.min_years_of_data})
    text = "; ".join(parts) if parts else _("không có điều kiện trong dữ liệu")
    return text[:1].upper() + text[1:] + "."


SCOPES = {
    "regulation": lambda ref: _("Thông tin văn bản"),
    "rules": lambda ref: _("Quy tắc xếp mức"),
    "amendment": lambda ref: _("Văn bản sửa đổi %(n)s") % {"n": ref[0]},
    "standard": lambda ref: _("Tiêu chuẩn %(n)s") % {"n": ref[0]},
    "criterion": lambda ref: _("Tiêu chí %(n)s") % {"n": ref[0]},
    "indicator": lambda ref: _("Tiêu chí %(c)s – Mức %(l)s – chỉ báo %(k)s") % {"c": ref[0], "l": ref[1], "k": ref[2]},
    "level4": lambda ref: _("Yêu cầu Mức 4 số %(n)s") % {"n": ref[0]},
    "repeal": lambda ref: _("Tiêu chí %(c)s – Mức %(l)s – chỉ báo %(k)s") % {"c": ref[0], "l": ref[1], "k": ref[2]},
}
FIELDS = {
    "title": lambda: _("tên"),
    "text": lambda: _("nội dung"),
    "unlettered": lambda: _("cách đánh chữ"),
    "applies_to": lambda: _("cấp học áp dụng"),
    "effective": lambda: _("ngày hiệu lực"),
    "issued": lambda: _("ngày ban hành"),
    "document_number": lambda: _("số hiệu"),
    "issuer": lambda: _("cơ quan ban hành"),
    "school_levels": lambda: _("cấp học áp dụng"),
    "family": lambda: _("họ quy tắc"),
    "status": lambda: _("trạng thái"),
    "evidence_code_scheme": lambda: _("cách ghi mã minh chứng"),
    "verification_status": lambda: _("tình trạng đối chiếu"),
    "verification_note": lambda: _("ghi chú đối chiếu"),
    "level_count": lambda: _("số mức"),
    "mandatory": lambda: _("tiêu chí bắt buộc"),
}


def _display(field: str, value):
    """A changed value as a person reads it: choice labels instead of codes."""
    from .models import Regulation

    labels = {
        "status": dict(Regulation.Status.choices),
        "verification_status": dict(Regulation.Verification.choices),
    }
    if field in labels:
        return labels[field].get(value, value)
    if field == "mandatory" and isinstance(value, bool):
        return _("Bắt buộc") if value else _("Không bắt buộc")
    if field in ("school_levels", "applies_to") and isinstance(value, list):
        levels = dict(School.Level.choices)
        return ", ".join(str(levels.get(v, v)) for v in value)
    return value


def describe_change(change: Change) -> dict:
    """A diff entry for the confirmation page: where, what happened, and the old and new values."""
    if change.scope == "details":
        where = SCOPES[change.ref[0]](change.ref[1:])
        return {"kind": CHANGED, "where": where, "what": _("thông tin kèm theo (%(keys)s)") % {"keys": change.field},
                "old": None, "new": None, "is_text": False}
    where = SCOPES[change.scope](change.ref)
    if change.scope == "repeal":
        action = {"repealed": _("bãi bỏ"), "amended": _("sửa đổi"), "added": _("bổ sung")}.get(change.ref[3], change.ref[3])
        what = _("%(action)s bởi %(by)s") % {"action": action, "by": change.ref[4]}
    elif change.scope == "rules":
        what = _("quy tắc thay đổi (%(keys)s)") % {"keys": change.field}
    elif change.kind == CHANGED:
        what = FIELDS.get(change.field, lambda: change.field)()
    else:
        what = {ADDED: _("thêm mới"), REMOVED: _("bỏ đi")}[change.kind]
    return {
        "kind": change.kind,
        "where": where,
        "what": what,
        "old": _display(change.field, change.old),
        "new": _display(change.field, change.new),
        "is_text": change.kind == CHANGED and change.field in ("text", "title", "verification_note"),
    }


# --- What a rule family calls its levels (pages; the exports print the engine's words as they are) ---

LEVEL_WORDS = {
    "Không đạt": lambda: _("Không đạt"),
    "Đạt": lambda: _("Đạt"),
}


def level_words(level: int, *, zero: str | None = None) -> str:
    """A level as the pages word it whatever the family: "Mức n", and "Không đạt" (or ``zero``) for 0."""
    if level == 0:
        return _("Không đạt") if zero is None else zero
    return _("Mức %(n)s") % {"n": level}


def _level_word(word: str) -> str:
    if word in LEVEL_WORDS:
        return LEVEL_WORDS[word]()
    if word.startswith("Mức độ "):
        return _("Mức độ %(l)s") % {"l": word.removeprefix("Mức độ ")}
    if word.startswith("Mức "):
        return _("Mức %(l)s") % {"l": word.removeprefix("Mức ")}
    return word


@dataclass(frozen=True)
class LevelLabels:
    """A family's level names and summary-table columns, in the user's language."""

    criterion_levels: list[tuple[int, str]]
    school_levels: list[tuple[int, str]]
    summary_columns: list[str]
    levels_phrase: str
    national_standard_levels: list[tuple[int, str]]
    has_accreditation: bool
    has_level4: bool
    top_level: int

    def criterion_level_name(self, level: int | None) -> str:
        return dict(self.criterion_levels).get(level, "") if level is not None else ""

    def school_level_name(self, level: int | None) -> str:
        return dict(self.school_levels).get(level, "") if level is not None else ""


def family_labels(family: str) -> LevelLabels:
    """The labels of a rule family ("2018", "2026", "legacy") for pages."""
    labels = get_family(family).labels
    phrase = labels.levels_phrase
    if phrase:
        top = labels.top_level
        phrase = (
            _("Mức %(l)s") % {"l": 1} if top <= 1
            else _("Mức %(first)s và %(last)s") % {"first": ", ".join(str(lv) for lv in range(1, top)), "last": top}
        )
    return LevelLabels(
        criterion_levels=[(level, _level_word(name)) for level, name in labels.criterion_levels],
        school_levels=[(level, _level_word(name)) for level, name in labels.school_levels],
        summary_columns=[_level_word(name) for name in labels.summary_columns],
        levels_phrase=phrase,
        national_standard_levels=[(level, _level_word(name)) for level, name in labels.national_standard_levels],
        has_accreditation=labels.has_accreditation,
        has_level4=labels.has_level4,
        top_level=labels.top_level,
    )


def quantitative_transition_note(regulation, on_date: datetime.date | None = None) -> str:
    """The transition rule of khoản 4 Điều 27 (TT57/2026) while it is in effect on ``on_date``, else "".

    Shown beside the quantitative indicators: until 31/12/2028 quantitative data alone never makes
    a criterion "không đạt".
    """
    from django.utils import timezone

    if regulation is None or regulation.family != family2026.NAME:
        return ""
    on_date = on_date or timezone.localdate()
    try:
        rule = family2026.quantitative_transition(regulation.rules, on_date)
    except EngineError:
        return ""
    if not rule or not rule["in_effect"]:
        return ""
    until = rule["until"].strftime("%d/%m/%Y") if rule["until"] else ""
    return _(
        "Theo %(ref)s, đến hết ngày %(until)s dữ liệu định lượng chỉ dùng để theo dõi, phân tích, cảnh báo và "
        "hỗ trợ cải tiến; không được dùng làm căn cứ duy nhất để kết luận tiêu chí không đạt."
    ) % {"ref": _(rule["legal_ref"] or "khoản 4 Điều 27"), "until": until}


def school_level_rule_lines(rules, mandatory: list[str], total: int) -> list[str]:
    """The 2026 family's school-level rule (khoản 3 Điều 5) in sentences, from the catalog's data."""
    try:
        rungs = family2026.thresholds(rules)
    except EngineError:
        return []
    others = total - len(mandatory)
    lines = []
    for level, rung in rungs.items():
        line = _(
            "Trường đạt Mức %(level)s khi mọi tiêu chí bắt buộc (%(list)s) đạt Mức %(m)s trở lên và ít nhất "
            "%(count)s trong %(others)s tiêu chí còn lại đạt Mức %(o)s trở lên"
        ) % {
            "level": level, "list": ", ".join(mandatory), "m": rung["mandatory_min_level"],
            "count": min(rung["others_min_count"], others), "others": others, "o": rung["others_min_level"],
        }
        if rung["others_rest_min_level"]:
            line += _("; các tiêu chí còn lại đạt tối thiểu Mức %(r)s") % {"r": rung["others_rest_min_level"]}
        lines.append(line + ".")
    return lines
