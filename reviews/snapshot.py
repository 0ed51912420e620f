"""Reading a frozen version: the dict of ``selfassessment.serializers.report_as_dict``.

A version is plain data (format ``kiemdinh.selfassessment.report/1``). This module names its
passages by the same stable keys the live report uses (``selfassessment.Passage.key``), gives
each a label in words, lays the version out for the review page, and turns it into the
comparable sections of ``reviews.diff``. It never touches the live report's texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from selfassessment import plan57, tt57
from selfassessment.models import CouncilMember
from selfassessment.tt57_dataform import HEADER_FIELDS
from standards.explain import level_words
from standards.models import Criterion

from . import diff

PLAN_PARTS = ("purpose", "scope", "tools", "training")


def _plan_labels() -> dict[str, str]:
    return {"purpose": _("Mục đích"), "scope": _("Phạm vi"), "tools": _("Công cụ đánh giá"), "training": _("Tập huấn")}


def verdict_label(verdict: str | None) -> str:
    return {"dat": _("Đạt"), "khong_dat": _("Không đạt")}.get(verdict or "", _("Chưa đánh giá"))


def level_label(level: int | None) -> str:
    if level is None:
        return _("Chưa xác định")
    return level_words(level)


def indicator_name(indicator: Mapping[str, Any]) -> str:
    return "" if indicator.get("unlettered") else indicator.get("key", "")


@dataclass(frozen=True)
class Passage:
    """One text of a version, under the key the live report uses for it."""

    key: str
    label: str
    text: str
    criterion_number: str = ""

    @property
    def anchor(self) -> str:
        return "p-" + re.sub(r"[^0-9A-Za-z_-]", "-", self.key)


def _criterion_passages(criterion: Mapping[str, Any]) -> Iterator[Passage]:
    number = criterion["number"]
    for block in criterion.get("levels", []):
        for indicator in block.get("indicators", []):
            if indicator.get("repealed"):
                continue
            name = indicator_name(indicator)
            label = (
                _("Tiêu chí %(c)s – Mức %(l)s, chỉ báo %(k)s – Mô tả hiện trạng")
                % {"c": number, "l": block["level"], "k": name}
                if name else
                _("Tiêu chí %(c)s – Mức %(l)s – Mô tả hiện trạng") % {"c": number, "l": block["level"]}
            )
            yield Passage(f"indicator:{number}:{block['level']}:{indicator['key']}", label,
                          indicator.get("current_state", ""), number)
    yield Passage(f"criterion:{number}:strengths", _("Tiêu chí %(c)s – Điểm mạnh") % {"c": number},
                  criterion.get("strengths", ""), number)
    yield Passage(f"criterion:{number}:weaknesses", _("Tiêu chí %(c)s – Điểm yếu") % {"c": number},
                  criterion.get("weaknesses", ""), number)


def is_tt57(data: Mapping[str, Any]) -> bool:
    """Whether the version is a TT57/2026 report (Biểu 1): it carries the texts under "tt57"."""
    return "tt57" in data or data.get("regulation", {}).get("family") == "2026"


def _tt57_parts():
    return tt57.OVERVIEW_PARTS, tt57.STANDARD_PARTS, tt57.PROPOSAL_PARTS


def _tt57_overview(data: Mapping[str, Any]) -> list[Passage]:
    overview_parts, _s, _p = _tt57_parts()
    texts = data.get("tt57", {}).get("overview", {})
    return [Passage(f"overview:{key}", _("Phần I – %(part)s") % {"part": label}, texts.get(key, ""))
            for key, label, _help in overview_parts]


def _tt57_standard(data: Mapping[str, Any], number: int) -> list[Passage]:
    _o, standard_parts, _p = _tt57_parts()
    texts = next((s for s in data.get("tt57", {}).get("standards", []) if s.get("number") == number), {})
    return [Passage(f"standard:{number}:{key}", _("Tiêu chuẩn %(n)s – %(part)s") % {"n": number, "part": label},
                    texts.get(key, "")) for key, label in standard_parts]


def _tt57_proposals(data: Mapping[str, Any]) -> list[Passage]:
    _o, _s, proposal_parts = _tt57_parts()
    texts = data.get("tt57", {}).get("proposals", {})
    return [Passage(f"proposal:{key}", _("Phần III – Đề xuất, kiến nghị – %(part)s") % {"part": label},
                    texts.get(key, "")) for key, label in proposal_parts]


def standard_numbers(data: Mapping[str, Any]) -> list[int]:
    return [s["number"] for s in data.get("part2", {}).get("standards", [])]


def passages(data: Mapping[str, Any]) -> list[Passage]:
    """Every text of the version, in the order of the report."""
    if is_tt57(data):
        return _tt57_passages(data)
    result = [Passage("introduction", _("Đặt vấn đề"), data.get("part2", {}).get("introduction", ""))]
    plan = data.get("plan", {})
    labels = _plan_labels()
    for part in PLAN_PARTS:
        result.append(Passage(f"plan:{part}", _("Kế hoạch tự đánh giá – %(part)s") % {"part": labels[part]},
                              plan.get(part, "")))
    for standard in data.get("part2", {}).get("standards", []):
        n = standard["number"]
        result.append(Passage(f"standard:{n}:opening", _("Tiêu chuẩn %(n)s – Mở đầu") % {"n": n},
                              standard.get("opening", "")))
        for criterion in standard.get("criteria", []):
            if criterion.get("assessed", True):
                result.extend(_criterion_passages(criterion))
        result.append(Passage(f"standard:{n}:conclusion", _("Tiêu chuẩn %(n)s – Kết luận") % {"n": n},
                              standard.get("conclusion", "")))
    parts = {"state": _("Mô tả hiện trạng"), "strengths": _("Điểm mạnh"), "weaknesses": _("Điểm yếu")}
    for item in data.get("part2", {}).get("level4", []):
        n = item["number"]
        texts = {"state": item.get("current_state", ""), "strengths": item.get("strengths", ""),
                 "weaknesses": item.get("weaknesses", "")}
        for part, label in parts.items():
            result.append(Passage(f"level4:{n}:{part}", _("Mức 4, yêu cầu %(n)s – %(part)s") % {"n": n, "part": label},
                                  texts[part]))
    result.append(Passage("conclusion", _("Kết luận chung"), data.get("part3", {}).get("conclusion", "")))
    return result


def _tt57_passages(data: Mapping[str, Any]) -> list[Passage]:
    """Biểu 1's texts: Phần I, per standard the levels' descriptions and the general assessment, Phần III."""
    result = _tt57_overview(data)
    for standard in data.get("part2", {}).get("standards", []):
        for criterion in standard.get("criteria", []):
            if criterion.get("assessed", True):
                result.extend(p for p in _criterion_passages(criterion) if p.key.startswith("indicator:"))
        result.extend(_tt57_standard(data, standard["number"]))
    result.append(Passage("conclusion", _("Phần III – Kết luận"), data.get("part3", {}).get("conclusion", "")))
    result.extend(_tt57_proposals(data))
    return result


def passage_of(data: Mapping[str, Any], key: str) -> Passage | None:
    for passage in passages(data):
        if passage.key == key:
            return passage
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


def quote_in(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs in ``text`` (spacing and line breaks do not matter, as in a selection)."""
    quote = _squash(quote)
    return bool(quote) and quote in _squash(text)


def criteria(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for s in data.get("part2", {}).get("standards", []) for c in s.get("criteria", [])]


def criterion_numbers(data: Mapping[str, Any]) -> list[str]:
    return [c["number"] for c in criteria(data)]


def levels_of(data: Mapping[str, Any]) -> tuple[int | None, dict[str, int | None]]:
    """The school's computed level and each assessed criterion's, as the version states them."""
    school_level = data.get("part3", {}).get("school_level")
    per_criterion = {c["number"]: c.get("level") for c in criteria(data) if c.get("assessed", True)}
    return school_level, per_criterion


def criterion_for_number(report, number: str):
    """The catalog criterion of the report's regulation version numbered ``number`` (or None)."""
    return (
        Criterion.objects.filter(standard__version_id=report.regulation_version_id, number=number)
        .select_related("standard")
        .first()
    )


# --- Layout of a version for the review page ---------------------------------------------------


@dataclass
class IndicatorView:
    key: str
    name: str
    text: str
    verdict: str | None
    repealed: bool
    passage: Passage | None
    evidence: list[str]

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


@dataclass
class LevelView:
    level: int
    indicators: list[IndicatorView]


@dataclass
class CriterionView:
    number: str
    title: str
    assessed: bool
    level: int | None
    max_level: int
    explanation: list[str]
    levels: list[LevelView]
    strengths: Passage
    weaknesses: Passage
    plan: list[Mapping[str, Any]]
    # Tiêu chí bắt buộc (TT57/2026): not in the frozen data; the page sets it from the catalog.
    mandatory: bool = False

    @property
    def anchor(self) -> str:
        return "c-" + self.number.replace(".", "-")

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def passages(self) -> list[Passage]:
        inner = [i.passage for block in self.levels for i in block.indicators if i.passage]
        return [*inner, self.strengths, self.weaknesses]


@dataclass
class StandardView:
    number: int
    title: str
    opening: Passage
    conclusion: Passage
    criteria: list[CriterionView] = field(default_factory=list)
    # TT57: Đánh giá chung về Tiêu chuẩn n (điểm mạnh, hạn chế, xu hướng, ưu tiên).
    assessment: list[Passage] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"s-{self.number}"


@dataclass
class Level4View:
    number: int
    text: str
    verdict: str | None
    state: Passage
    strengths: Passage
    weaknesses: Passage
    plan: list[Mapping[str, Any]]

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.verdict)


def role_label(member: Mapping[str, Any]) -> str:
    """A frozen council member's role in the reader's language; a role the app no longer knows keeps
    the label stored with the version."""
    role = member.get("role") or ""
    if role in CouncilMember.Role.values:
        return str(CouncilMember.Role(role).label)
    return str(member.get("role_label") or "")


@dataclass
class VersionView:
    data: Mapping[str, Any]
    introduction: Passage
    conclusion: Passage
    plan: list[Passage]
    standards: list[StandardView]
    level4: list[Level4View]
    # TT57 (Biểu 1): Phần I Tổng quan and Phần III's proposals; empty for a 2018 report.
    overview: list[Passage] = field(default_factory=list)
    proposals: list[Passage] = field(default_factory=list)

    @property
    def is_tt57(self) -> bool:
        return is_tt57(self.data)

    @property
    def data_form(self) -> Mapping[str, Any]:
        return self.data.get("tt57", {}).get("data_form", {})

    @property
    def plan57(self) -> Mapping[str, Any] | None:
        return self.data.get("plan57")

    @property
    def plan57_texts(self) -> list[tuple[str, str, str]]:
        """Biểu 2's sections II and VII as (field, label, text), in the form's order."""
        plan = self.plan57
        if not plan:
            return []

        year = plan.get("info", {}).get("school_year", "")
        labels = dict(plan57.SECTION_II_LABELS) | dict(plan57.SECTION_VII_LABELS)
        texts = plan.get("sections", {})
        return [(key, labels.get(key, key).replace("{year}", year), texts.get(key) or "") for key in plan57.SECTION_FIELDS]

    @property
    def criteria(self) -> list[CriterionView]:
        return [c for s in self.standards for c in s.criteria]

    @property
    def school(self) -> Mapping[str, Any]:
        return self.data.get("school", {})

    @property
    def regulation(self) -> Mapping[str, Any]:
        return self.data.get("regulation", {})

    @property
    def part1(self) -> Mapping[str, Any]:
        return self.data.get("part1", {})

    @property
    def part3(self) -> Mapping[str, Any]:
        return self.data.get("part3", {})

    @property
    def council(self) -> Mapping[str, Any]:
        """The council as sent, each member's role named in the reader's language (the version keeps
        the label as the school read it)."""
        council = dict(self.data.get("council", {}))
        council["members"] = [{**m, "role_label": role_label(m)} for m in council.get("members", [])]
        return council

    @property
    def evidence(self) -> list[Mapping[str, Any]]:
        return self.data.get("evidence", [])


def layout(data: Mapping[str, Any]) -> VersionView:
    """The version arranged as the review page shows it (standards › criteria › levels › indicators)."""
    by_key = {p.key: p for p in passages(data)}

    def p(key: str, label: str = "", number: str = "") -> Passage:
        return by_key.get(key) or Passage(key, label, "", number)

    standards = []
    for standard in data.get("part2", {}).get("standards", []):
        n = standard["number"]
        view = StandardView(n, standard.get("title", ""), p(f"standard:{n}:opening"), p(f"standard:{n}:conclusion"),
                            assessment=_tt57_standard(data, n) if is_tt57(data) else [])
        for criterion in standard.get("criteria", []):
            number = criterion["number"]
            levels = [
                LevelView(
                    block["level"],
                    [
                        IndicatorView(
                            key=i["key"], name=indicator_name(i), text=i.get("text", ""), verdict=i.get("verdict"),
                            repealed=bool(i.get("repealed")),
                            passage=None if i.get("repealed") else p(f"indicator:{number}:{block['level']}:{i['key']}"),
                            evidence=list(i.get("evidence", [])),
                        )
                        for i in block.get("indicators", [])
                    ],
                )
                for block in criterion.get("levels", [])
                if block.get("indicators")
            ]
            view.criteria.append(CriterionView(
                number=number, title=criterion.get("title", ""), assessed=criterion.get("assessed", True),
                level=criterion.get("level"), max_level=criterion.get("max_level", 0),
                explanation=list(criterion.get("explanation", [])), levels=levels,
                strengths=p(f"criterion:{number}:strengths"), weaknesses=p(f"criterion:{number}:weaknesses"),
                plan=list(criterion.get("improvement_plan", [])),
            ))
        standards.append(view)
    level4 = [
        Level4View(
            number=item["number"], text=item.get("text", ""), verdict=item.get("verdict"),
            state=p(f"level4:{item['number']}:state"), strengths=p(f"level4:{item['number']}:strengths"),
            weaknesses=p(f"level4:{item['number']}:weaknesses"), plan=list(item.get("improvement_plan", [])),
        )
        for item in data.get("part2", {}).get("level4", [])
    ]
    return VersionView(
        data=data,
        introduction=p("introduction"),
        conclusion=p("conclusion"),
        plan=[p(f"plan:{part}") for part in PLAN_PARTS],
        standards=standards,
        level4=level4,
        overview=_tt57_overview(data) if is_tt57(data) else [],
        proposals=_tt57_proposals(data) if is_tt57(data) else [],
    )


# --- Comparable sections -----------------------------------------------------------------------


def _plan_text(items: list[Mapping[str, Any]]) -> str:
    lines = []
    for index, item in enumerate(items, start=1):
        when = " – ".join(x for x in (item.get("start_on") or "", item.get("due_on") or "") if x)
        details = "; ".join(x for x in (item.get("responsible", ""), when, item.get("resources", ""),
                                         item.get("expected_result", "")) if x)
        lines.append(f"{index}. {item.get('action', '')}" + (f" ({details})" if details else ""))
    return "\n".join(lines)


def _table_text(table: Mapping[str, Any]) -> str:
    lines = []
    for row in table.get("rows", []):
        if row.get("heading"):
            lines.append(row.get("label", ""))
            continue
        values = " · ".join("–" if v is None else str(v) for v in row.get("values", []))
        lines.append(f"{row.get('label', '')}: {values}")
    return "\n".join(lines)


def _data_form_sections(form: Mapping[str, Any]) -> list[diff.Section]:
    """Phần IV mục 1 (the data form): the header as facts, each numbered block of rows as one text."""
    years = form.get("years", [])
    group = _("Phần IV – Biểu số liệu")

    header = form.get("header") or {}
    facts = tuple(diff.Fact(f"header:{k}", label, str(header.get(k) or "")) for k, label in HEADER_FIELDS)
    fields: list[diff.Field] = []
    heading, lines = None, []

    def flush():
        if heading is not None:
            fields.append(diff.Field(heading["key"], heading["label"], "\n".join(lines)))

    for row in form.get("rows", []):
        if row.get("heading"):
            flush()
            heading, lines = row, []
            continue
        values = " · ".join(f"{y}: {'–' if v in (None, '') else v}" for y, v in zip(years, row.get("values", []), strict=False))
        lines.append(f"{row.get('label', '')}: {values}")
    flush()
    return [diff.Section("dataform", _("Phần IV – Biểu số liệu (03 năm học)"), fields=tuple(fields), facts=facts,
                         group=group)]


def plan57_sections(plan: Mapping[str, Any]) -> list[diff.Section]:
    """Biểu 2 as frozen with the version (``selfassessment.plan57.snapshot_data``): sections II and
    VII as texts, each row of table IV (vấn đề trọng tâm) and of table V (kế hoạch cải tiến) as a
    section of its own (rows are paired by their stored id, so a deleted row reads as removed and
    the others keep their place), and table VI's monitoring rows as facts."""
    group = _("Biểu 2 – Kế hoạch cải tiến chất lượng")
    year = plan.get("info", {}).get("school_year", "")
    texts = plan.get("sections", {})
    labels = dict(plan57.SECTION_II_LABELS) | dict(plan57.SECTION_VII_LABELS)
    result = [diff.Section(
        "plan57:sections", _("Biểu 2 – II. Căn cứ xây dựng kế hoạch; VII. Tổ chức thực hiện"), group=group,
        fields=tuple(diff.Field(key, labels.get(key, key).replace("{year}", year), texts.get(key) or "")
                     for key in plan57.SECTION_FIELDS),
    )]
    issue_labels = dict(zip(("criteria", "current_state", "weakness", "cause"), plan57.TABLE_IV_COLUMNS[2:], strict=False))
    for issue in plan.get("issues", []):
        standard = issue.get("standard")
        result.append(diff.Section(
            f"plan57:issue:{issue.get('id')}",
            _("Biểu 2 – IV. Vấn đề trọng tâm %(n)s") % {"n": issue.get("number")}, group=group,
            fields=tuple(diff.Field(f, issue_labels[f], issue.get(f) or "") for f in plan57.ISSUE_FIELDS if f != "criteria"),
            facts=(
                diff.Fact("standard", _("Tiêu chuẩn"), str(standard) if standard is not None else "–"),
                diff.Fact("criteria", issue_labels["criteria"], issue.get("criteria") or "–"),
            ),
        ))
    columns = dict(zip(("content", "objective", "activities", "indicator"), plan57.TABLE_V_COLUMNS[1:5], strict=False))
    columns |= {"responsible": plan57.TABLE_V_COLUMNS[6], "resources": plan57.TABLE_V_COLUMNS[7],
                "expected_evidence": plan57.TABLE_V_COLUMNS[8]}
    for action in plan.get("actions", []):
        when = " – ".join(iso_dmy(x) for x in (action.get("start_on"), action.get("end_on")) if x)
        result.append(diff.Section(
            f"plan57:action:{action.get('id')}",
            _("Biểu 2 – V. Nội dung cải tiến %(n)s") % {"n": action.get("number")}, group=group,
            fields=tuple(diff.Field(f, columns[f], action.get(f) or "") for f in columns),
            facts=(
                diff.Fact("issue", _("Vấn đề ưu tiên"), str(action.get("issue") or "–")),
                diff.Fact("when", plan57.TABLE_V_COLUMNS[5], when or "–"),
                diff.Fact("coordination", _("Đơn vị/cá nhân phối hợp"), action.get("coordination") or "–"),
                diff.Fact("status", plan57.TABLE_V_COLUMNS[9], plan57.STATUS_LABELS.get(action.get("status") or "", "") or "–"),
            ),
        ))
    checks = plan.get("checks", [])
    result.append(diff.Section(
        "plan57:checks", _("Biểu 2 – VI. Theo dõi và đánh giá thực hiện"), group=group,
        facts=tuple(
            diff.Fact(f"check:{c.get('id')}", plan57.POINT_LABELS.get(c.get("point"), c.get("point") or ""),
                      " · ".join(x for x in (c.get("content"), c.get("result"), c.get("adjustment"), c.get("assessor")) if x))
            for c in checks
        ),
    ))
    return result


def iso_dmy(value: str | None) -> str:
    """An ISO date of the snapshot as the Vietnamese write it (15/09/2026)."""
    if not value:
        return ""
    text = str(value)[:10]
    parts = text.split("-")
    return f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 else text


def _tt57_sections(data: Mapping[str, Any]) -> list[diff.Section]:
    """A TT57 version: Phần I, per standard its criteria's descriptions per level and its general
    assessment, Phần III (conclusion, proposals), the data form, Biểu 2 and the evidence list."""
    view = layout(data)
    common = _("Phần chung")
    result = [
        diff.Section(
            "overview", _("Phần I – Tổng quan"), group=common,
            fields=tuple(diff.Field(p.key, p.label, p.text) for p in view.overview),
        ),
        diff.Section(
            "council", _("Hội đồng tự đánh giá"), group=common,
            facts=tuple(
                diff.Fact(f"member:{m.get('order')}", m.get("role_label") or _("Thành viên"),
                          " – ".join(x for x in (m.get("full_name", ""), m.get("title", "")) if x))
                for m in view.council.get("members", [])
            ),
        ),
    ]
    for standard in view.standards:
        group = _("Tiêu chuẩn %(n)s") % {"n": standard.number}
        for criterion in standard.criteria:
            fields, facts = [], [diff.Fact("level", _("Mức đạt"), level_label(criterion.level))]
            for block in criterion.levels:
                for indicator in block.indicators:
                    if indicator.repealed:
                        continue
                    name = _("Mức %(n)s") % {"n": block.level}
                    fields.append(diff.Field(indicator.passage.key, name + " – " + _("Mô tả hiện trạng"),
                                             indicator.passage.text))
                    facts.append(diff.Fact(f"verdict:{block.level}:{indicator.key}", name,
                                           verdict_label(indicator.verdict)))
            result.append(diff.Section(
                f"criterion:{criterion.number}",
                _("Tiêu chí %(n)s") % {"n": criterion.number} + (f": {criterion.title}" if criterion.title else ""),
                fields=tuple(fields), facts=tuple(facts), group=group,
            ))
        result.append(diff.Section(
            f"standard:{standard.number}",
            _("Đánh giá chung về Tiêu chuẩn %(n)s") % {"n": standard.number}, group=group,
            fields=tuple(diff.Field(p.key.rsplit(":", 1)[1], p.label, p.text) for p in standard.assessment),
        ))
    result.append(diff.Section(
        "part3", _("Phần III – Kết luận"), group=_("Phần III"),
        fields=(diff.Field("conclusion", view.conclusion.label, view.conclusion.text),
                *(diff.Field(p.key, p.label, p.text) for p in view.proposals)),
        facts=(diff.Fact("school_level", _("Mức đánh giá của trường"), level_label(view.part3.get("school_level"))),),
    ))
    result.extend(_data_form_sections(view.data_form))
    if view.plan57 is not None:
        result.extend(plan57_sections(view.plan57))
    result.append(_evidence_section(view))
    return result


def _evidence_section(view: VersionView) -> diff.Section:
    return diff.Section(
        "evidence", _("Danh mục minh chứng"), group=_("Minh chứng"),
        facts=tuple(
            diff.Fact(
                e.get("code", ""), e.get("code", ""),
                " · ".join(x for x in (
                    e.get("name", ""), e.get("issued", ""),
                    (e.get("file") or {}).get("sha256", "")[:12] and _("tệp %(h)s") % {"h": e["file"]["sha256"][:12]},
                ) if x),
            )
            for e in view.evidence
        ),
    )


def sections(data: Mapping[str, Any]) -> list[diff.Section]:
    """The version as comparable sections: general texts, Phần I, each standard and criterion, Mức 4, evidence."""
    if is_tt57(data):
        return _tt57_sections(data)
    view = layout(data)
    result = [
        diff.Section(
            "general", _("Đặt vấn đề, kế hoạch và kết luận chung"), group=_("Phần chung"),
            fields=tuple(diff.Field(ps.key, ps.label, ps.text) for ps in [view.introduction, *view.plan, view.conclusion]),
            facts=(
                diff.Fact("school_level", _("Mức đánh giá của trường"), level_label(view.part3.get("school_level"))),
                diff.Fact("accreditation", _("Cấp độ kiểm định"), str(view.part3.get("accreditation_level") or "–")),
                diff.Fact("national", _("Mức độ chuẩn quốc gia"), str(view.part3.get("national_standard") or "–")),
            ),
        ),
        diff.Section(
            "council", _("Hội đồng tự đánh giá"), group=_("Phần chung"),
            facts=(
                diff.Fact("decision", _("Quyết định thành lập"),
                          " ".join(x for x in (view.council.get("decision_number") or "",
                                               view.council.get("decision_date") or "") if x)),
                *(
                    diff.Fact(f"member:{m.get('order')}", m.get("role_label") or _("Thành viên"),
                              " – ".join(x for x in (m.get("full_name", ""), m.get("title", "")) if x))
                    for m in view.council.get("members", [])
                ),
            ),
        ),
        diff.Section(
            "part1", _("Phần I – Cơ sở dữ liệu"), group=_("Phần chung"),
            fields=tuple(diff.Field(t["key"], t.get("title", t["key"]), _table_text(t))
                         for t in view.part1.get("tables", [])),
        ),
    ]
    for standard in view.standards:
        group = _("Tiêu chuẩn %(n)s") % {"n": standard.number}
        result.append(diff.Section(
            f"standard:{standard.number}", group + (f": {standard.title}" if standard.title else ""), group=group,
            fields=(diff.Field("opening", _("Mở đầu"), standard.opening.text),
                    diff.Field("conclusion", _("Kết luận"), standard.conclusion.text)),
        ))
        for criterion in standard.criteria:
            fields = []
            facts = [diff.Fact("level", _("Mức đạt"), level_label(criterion.level))]
            for block in criterion.levels:
                for indicator in block.indicators:
                    if indicator.repealed:
                        continue
                    name = f"Mức {block.level}" + (f", chỉ báo {indicator.name}" if indicator.name else "")
                    fields.append(diff.Field(indicator.passage.key, name + " – " + _("Mô tả hiện trạng"),
                                             indicator.passage.text))
                    facts.append(diff.Fact(f"verdict:{block.level}:{indicator.key}", name,
                                           verdict_label(indicator.verdict)))
            fields.append(diff.Field("strengths", _("Điểm mạnh"), criterion.strengths.text))
            fields.append(diff.Field("weaknesses", _("Điểm yếu"), criterion.weaknesses.text))
            fields.append(diff.Field("plan", _("Kế hoạch cải tiến chất lượng"), _plan_text(criterion.plan)))
            result.append(diff.Section(
                f"criterion:{criterion.number}",
                _("Tiêu chí %(n)s") % {"n": criterion.number} + (f": {criterion.title}" if criterion.title else ""),
                fields=tuple(fields), facts=tuple(facts), group=group,
            ))
    for item in view.level4:
        result.append(diff.Section(
            f"level4:{item.number}", _("Mức 4 – yêu cầu %(n)s") % {"n": item.number}, group=_("Mức 4"),
            fields=(diff.Field("state", _("Mô tả hiện trạng"), item.state.text),
                    diff.Field("strengths", _("Điểm mạnh"), item.strengths.text),
                    diff.Field("weaknesses", _("Điểm yếu"), item.weaknesses.text),
                    diff.Field("plan", _("Kế hoạch cải tiến chất lượng"), _plan_text(item.plan))),
            facts=(diff.Fact("verdict", _("Kết luận"), verdict_label(item.verdict)),),
        ))
    result.append(_evidence_section(view))
    return result
