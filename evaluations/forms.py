"""Forms of the evaluations app: they validate input and do nothing else (services write)."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemdinh.dates import DateField
from kiemdinh.widgets import TitledSelect
from schools.forms import BoundedModelMultipleChoiceField, HiddenFieldErrorsMixin
from schools.models import School

from .models import (
    LEVEL_CHOICES_ACCREDITATION,
    LEVEL_CHOICES_NATIONAL,
    Certificate,
    EvaluationRound,
    Milestone,
    PlannedSchool,
    TeamMember,
)

# Dates of this work (plans, rounds, milestones, decisions) lie within these; anything else is a typing
# slip, and a far date would overflow the schedule's arithmetic (datetime's year 1 to 9999).
EARLIEST_DATE, LATEST_DATE = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _date_field(label, required=False, help_text=""):
    message = _("Ngày phải từ 01/01/2000 đến 31/12/2100.")
    return DateField(
        label=label, required=required, help_text=help_text,
        validators=[MinValueValidator(EARLIEST_DATE, message), MaxValueValidator(LATEST_DATE, message)],
    )


class RevisionMixin(HiddenFieldErrorsMixin, forms.Form):
    """The row revision the form was rendered with, posted back to detect concurrent edits (a
    tampered or stale value is reported at the top of the form, see HiddenFieldErrorsMixin)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


def _year_field(initial=None):
    return forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, initial=initial or timezone.localdate().year,
        error_messages={"min_value": _("Năm phải từ 2000 đến 2100."), "max_value": _("Năm phải từ 2000 đến 2100.")},
    )


def _optional_level(choices, label):
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", "—")] + list(choices)
    )


# --- Plans ------------------------------------------------------------------------------------


class PlanForm(RevisionMixin):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    year = _year_field()
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=255)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=60, required=False,
                                      help_text=_("Ví dụ: 150/KH-PGDĐT"))
    document_date = _date_field(_("Ngày ban hành"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, levels, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        self.fields["unit"].queryset = units
        for level, label in self.levels:
            self.fields[f"target_{level}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=999,
                error_messages={"min_value": _("Chỉ tiêu không được âm.")},
            )
        if plan is not None:
            # The unit and year identify the plan; they are not changed by editing it.
            del self.fields["unit"], self.fields["year"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        head = [Row(Column("unit", css_class="col-md-8"), Column("year", css_class="col-md-4"))] if plan is None else []
        self.helper.layout = Layout(
            Fieldset(_("Kế hoạch"), *head, "title",
                     Row(Column("document_number", css_class="col-md-6"), Column("document_date", css_class="col-md-6")),
                     "note", "revision"),
            Fieldset(_("Chỉ tiêu kiểm định theo cấp học (số trường)"),
                     Row(*[Column(f"target_{level}", css_class="col-md-3") for level, _label in self.levels])),
        )

    @property
    def targets(self) -> dict[str, int | None]:
        return {level: self.cleaned_data.get(f"target_{level}") for level, _label in self.levels}


class PlanSchoolsForm(HiddenFieldErrorsMixin, forms.Form):
    errors_at_top = ("purpose", "target_accreditation_level", "target_national_standard")  # laid out by hand
    schools = BoundedModelMultipleChoiceField(
        label=_("Trường đưa vào kế hoạch"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một trường.")},
    )
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=PlannedSchool.Purpose.choices)
    target_accreditation_level = _optional_level(LEVEL_CHOICES_ACCREDITATION, _("Cấp độ phấn đấu"))
    target_national_standard = _optional_level(LEVEL_CHOICES_NATIONAL, _("Chuẩn quốc gia phấn đấu"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        for name in ("purpose", "target_accreditation_level", "target_national_standard"):
            self.fields[name].widget.attrs["class"] = "form-select"


class PlanEntryForm(RevisionMixin):
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=PlannedSchool.Purpose.choices)
    target_accreditation_level = _optional_level(LEVEL_CHOICES_ACCREDITATION, _("Cấp độ phấn đấu"))
    target_national_standard = _optional_level(LEVEL_CHOICES_NATIONAL, _("Chuẩn quốc gia phấn đấu"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "purpose",
            Row(Column("target_accreditation_level", css_class="col-md-6"), Column("target_national_standard", css_class="col-md-6")),
            "note", "revision",
            Submit("save", _("Lưu")),
        )


# --- Rounds and milestones --------------------------------------------------------------------


class RoundForm(RevisionMixin):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    year = _year_field()
    number = forms.TypedChoiceField(label=_("Đợt"), coerce=int, choices=[(1, _("Đợt 1")), (2, _("Đợt 2")), (3, _("Đợt 3")), (4, _("Đợt 4"))])
    dossier_date = _date_field(
        _("Ngày nộp hồ sơ đăng ký"),
        help_text=_("Lịch mặc định (theo kế hoạch mẫu của Phòng GD&ĐT Long Biên) được tính từ ngày này."),
    )
    with_default_schedule = forms.BooleanField(
        label=_("Tạo lịch các mốc mặc định cho nhà trường và đơn vị thẩm định"), required=False, initial=True
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, round_: EvaluationRound | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if round_ is not None:
            for name in ("unit", "year", "number", "with_default_schedule"):
                del self.fields[name]
        else:
            self.fields["unit"].queryset = units
        self.helper = FormHelper()
        self.helper.form_tag = False
        fields = ["revision"]
        if round_ is None:
            fields.append(Row(Column("unit", css_class="col-md-6"), Column("year", css_class="col-md-3"),
                              Column("number", css_class="col-md-3")))
        fields += ["dossier_date"]
        if round_ is None:
            fields.append("with_default_schedule")
        fields.append("note")
        self.helper.layout = Layout(*fields)

    def clean(self):
        data = super().clean()
        if data.get("with_default_schedule") and not data.get("dossier_date"):
            self.add_error("dossier_date", _("Cần ngày nộp hồ sơ đăng ký để lập lịch mặc định."))
        return data


class RoundSchoolsForm(forms.Form):
    schools = BoundedModelMultipleChoiceField(
        label=_("Trường đăng ký đánh giá ngoài"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một trường.")},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools


class MilestoneForm(RevisionMixin):
    owner = forms.ChoiceField(label=_("Bên thực hiện"), choices=Milestone.Owner.choices)
    title = forms.CharField(label=_("Nội dung công việc"), max_length=300)
    due_date = _date_field(_("Thời hạn"), required=True)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, milestone: Milestone | None = None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if milestone is not None:
            # Completions depend on the owner; a wrong owner means deleting the milestone.
            del self.fields["owner"]
        elif unit is not None:  # the round's unit by its own name ("UBND phường Cửa Nam"), not "Phòng GD&ĐT"
            self.fields["owner"].choices = [
                (value, unit.display_name if value == Milestone.Owner.DISTRICT else label)
                for value, label in Milestone.Owner.choices
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["owner"] if milestone is None else []), "title", "due_date", "description", "revision",
            Submit("save", _("Lưu")),
        )


class RegistrationChoiceForm(forms.Form):
    """Which registered school a school milestone is marked done (or undone) for."""

    registration = forms.IntegerField(required=False, min_value=1)


# --- Deadlines --------------------------------------------------------------------------------


class DeadlineForm(RevisionMixin):
    due_date = _date_field(_("Hạn nộp"), required=True)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("due_date", "note", "revision", Submit("save", _("Lưu")))


class DeadlineSetupForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    school_year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, empty_label=None)

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["school_year"].queryset = years


# --- External evaluations ---------------------------------------------------------------------


class EvaluationForm(RevisionMixin):
    team_decision_number = forms.CharField(label=_("Số quyết định thành lập đoàn"), max_length=60, required=False)
    team_decision_date = _date_field(_("Ngày quyết định"))
    dossier_study_date = _date_field(_("Nghiên cứu hồ sơ"))
    preliminary_visit_date = _date_field(_("Khảo sát sơ bộ"))
    visit_start = _date_field(_("Khảo sát chính thức từ ngày"))
    visit_end = _date_field(_("đến ngày"))
    draft_report_date = _date_field(_("Dự thảo báo cáo"))
    school_feedback_date = _date_field(_("Nhà trường phản hồi dự thảo"))
    final_report_date = _date_field(_("Báo cáo chính thức"))
    strengths = forms.CharField(label=_("Điểm mạnh"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    weaknesses = forms.CharField(label=_("Điểm yếu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    proposed_accreditation_level = _optional_level(
        [(0, _("Không đề nghị công nhận"))] + LEVEL_CHOICES_ACCREDITATION, _("Đề nghị công nhận cấp độ")
    )
    proposed_national_standard = _optional_level(LEVEL_CHOICES_NATIONAL, _("Đề nghị công nhận chuẩn quốc gia"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "revision",
            Fieldset(_("Đoàn đánh giá ngoài"),
                     Row(Column("team_decision_number", css_class="col-md-6"), Column("team_decision_date", css_class="col-md-6"))),
            Fieldset(_("Các bước đánh giá"),
                     Row(Column("dossier_study_date", css_class="col-md-4"), Column("preliminary_visit_date", css_class="col-md-4")),
                     Row(Column("visit_start", css_class="col-md-4"), Column("visit_end", css_class="col-md-4")),
                     Row(Column("draft_report_date", css_class="col-md-4"), Column("school_feedback_date", css_class="col-md-4"),
                         Column("final_report_date", css_class="col-md-4"))),
            Fieldset(_("Nhận định của đoàn"), "strengths", "weaknesses"),
            Fieldset(_("Đề nghị công nhận"),
                     Row(Column("proposed_accreditation_level", css_class="col-md-6"),
                         Column("proposed_national_standard", css_class="col-md-6"))),
        )

    def clean(self):
        data = super().clean()
        steps = [
            ("dossier_study_date", _("nghiên cứu hồ sơ")), ("preliminary_visit_date", _("khảo sát sơ bộ")),
            ("visit_start", _("khảo sát chính thức")), ("visit_end", _("kết thúc khảo sát")),
            ("draft_report_date", _("dự thảo báo cáo")), ("school_feedback_date", _("nhà trường phản hồi")),
            ("final_report_date", _("báo cáo chính thức")),
        ]
        previous: tuple[str, datetime.date] | None = None
        for name, label in steps:
            value = data.get(name)
            if value is None:
                continue
            if previous and value < previous[1]:
                self.add_error(name, _("Ngày %(this)s không được trước ngày %(before)s.") % {"this": label, "before": previous[0]})
            previous = (label, value)
        return data


SMALL_INPUT = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False,
                                widget=forms.TextInput(attrs={**SMALL_INPUT, "aria-label": _("Họ và tên")}))
    role = forms.ChoiceField(label=_("Nhiệm vụ"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER,
                             widget=forms.Select(attrs={**SMALL_SELECT, "aria-label": _("Nhiệm vụ")}))
    workplace = forms.CharField(label=_("Đơn vị công tác"), max_length=200, required=False,
                                widget=forms.TextInput(attrs={**SMALL_INPUT, "aria-label": _("Đơn vị công tác")}))
    position = forms.CharField(label=_("Chức vụ"), max_length=120, required=False,
                               widget=forms.TextInput(attrs={**SMALL_INPUT, "aria-label": _("Chức vụ")}))


class BaseTeamFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            # The page shows only the names' errors beside the rows: say here which row is wrong.
            raise forms.ValidationError([
                _("Dòng %(row)s, %(field)s: %(error)s")
                % {"row": number, "field": form.fields[name].label if name in form.fields else "", "error": error}
                for number, form in enumerate(self.forms, start=1) for name, errors in form.errors.items()
                for error in errors
            ])
        roles = [f.cleaned_data.get("role") for f in self.forms if (f.cleaned_data.get("full_name") or "").strip()]
        if roles.count(TeamMember.Role.LEADER) > 1:
            raise forms.ValidationError(_("Đoàn chỉ có một trưởng đoàn."))
        if roles.count(TeamMember.Role.SECRETARY) > 1:
            raise forms.ValidationError(_("Đoàn chỉ có một thư ký."))

    @property
    def members(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if (f.cleaned_data.get("full_name") or "").strip()]


TeamFormSet = forms.formset_factory(TeamMemberForm, formset=BaseTeamFormSet, extra=0, min_num=9, max_num=9, absolute_max=9)


class ResultsForm(RevisionMixin):
    """One row per criterion: the external level, the self-assessed level of the dossier, a note."""

    def __init__(self, *args, rows, level_count: int, binary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if binary:
            choices = [("", "—"), (1, _("Đạt")), (0, _("Không đạt"))]
        else:
            choices = [("", "—")] + [(n, _("Mức %(n)s") % {"n": n} if n else _("Không đạt")) for n in range(level_count, -1, -1)]
        self.rows = []
        for row in rows:
            pk = row.criterion.pk
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, required=False,
                                                                label=_("Đánh giá ngoài %(c)s") % {"c": row.criterion.number})
            self.fields[f"self_{pk}"] = forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, required=False,
                                                               label=_("Tự đánh giá %(c)s") % {"c": row.criterion.number})
            self.fields[f"note_{pk}"] = forms.CharField(max_length=500, required=False,
                                                        label=_("Ghi chú %(c)s") % {"c": row.criterion.number})
            if row.result is not None:
                self.initial.setdefault(f"level_{pk}", row.result.level)
                self.initial.setdefault(f"note_{pk}", row.result.note)
            # The dossier's value once typed, else the level computed in the school's report.
            recorded = row.result.self_level if row.result is not None else None
            self.initial.setdefault(f"self_{pk}", recorded if recorded is not None else row.self_level)
            self.rows.append((row, self[f"level_{pk}"], self[f"self_{pk}"], self[f"note_{pk}"]))

    def clean(self):
        data = super().clean()
        for row, _level, _self, _note in self.rows:
            pk = row.criterion.pk
            if data.get(f"level_{pk}") is None and (data.get(f"self_{pk}") is not None or data.get(f"note_{pk}")):
                self.add_error(f"level_{pk}", _("Tiêu chí %(c)s: hãy chọn mức đánh giá ngoài.") % {"c": row.criterion.number})
        return data

    @property
    def results(self) -> dict[int, dict]:
        return {
            row.criterion.pk: {
                "level": self.cleaned_data.get(f"level_{row.criterion.pk}"),
                "self_level": self.cleaned_data.get(f"self_{row.criterion.pk}"),
                "note": self.cleaned_data.get(f"note_{row.criterion.pk}", ""),
            }
            for row, *_fields in self.rows
        }


class RecommendationForm(forms.Form):
    criterion = forms.ModelChoiceField(label=_("Tiêu chí"), queryset=None, required=False, empty_label=_("Chung"),
                                       widget=TitledSelect)
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number}. {c.title}"


# --- Certificates -----------------------------------------------------------------------------


class CertificateForm(RevisionMixin):
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-SGDĐT"))
    decision_date = _date_field(_("Ngày quyết định"), required=True)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    accreditation_level = forms.TypedChoiceField(label=_("Cấp độ kiểm định"), coerce=int, choices=LEVEL_CHOICES_ACCREDITATION)
    national_standard_level = forms.TypedChoiceField(label=_("Chuẩn quốc gia"), coerce=int, choices=LEVEL_CHOICES_NATIONAL, initial=0)
    evaluation = forms.ModelChoiceField(label=_("Theo kết quả đánh giá ngoài"), queryset=None, required=False,
                                        empty_label=_("(không gắn với hồ sơ đánh giá ngoài trong hệ thống)"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, schools, evaluations, certificate: Certificate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["evaluation"].queryset = evaluations
        self.fields["evaluation"].label_from_instance = lambda e: f"{e.school} – {e.final_report_date or e.created_at.date():%d/%m/%Y}"
        if certificate is not None:
            del self.fields["school"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "revision",
            *([] if certificate is not None else ["school"]),
            Row(Column("decision_number", css_class="col-md-6"), Column("decision_date", css_class="col-md-6")),
            "issuing_body",
            Row(Column("accreditation_level", css_class="col-md-6"), Column("national_standard_level", css_class="col-md-6")),
            "evaluation",
            "note",
            HTML('<p class="small text-muted">{% load i18n %}{% translate "Thời hạn hiệu lực (5 năm) và ngày được đăng ký đánh giá nâng mức được tính tự động từ ngày quyết định." %}</p>'),
            Submit("save", _("Lưu")),
        )

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Ngày quyết định không được ở tương lai."))
        if value.year < 2000:
            raise forms.ValidationError(_("Ngày quyết định không hợp lệ."))
        return value


class EvaluationStartForm(forms.Form):
    """Open an external-evaluation record for a school outside any district round."""

    school = forms.ModelChoiceField(label=_("Trường"), queryset=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools



# --- Periodic reports (báo cáo định kỳ) -----------------------------------------------------------


class PeriodicReportForm(RevisionMixin):
    """The school's periodic report: its summary and one progress text per improvement action (the
    fields ``progress-<action id>`` follow the lines the page shows)."""

    summary = forms.CharField(
        label=_("Tóm tắt kết quả tự đánh giá và việc thực hiện kế hoạch cải tiến chất lượng"), required=False,
        max_length=20000, widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Những điểm chính từ lần báo cáo trước: kết quả tự đánh giá, các biện pháp đã làm, khó khăn, đề xuất."),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[line.field_name] = forms.CharField(
                label=_("Tiến độ thực hiện: %(action)s") % {"action": line.action[:80]}, required=False,
                max_length=5000, initial=line.progress,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )

    @property
    def progress(self) -> dict[int, str]:
        """The progress texts by improvement-action id (after validation)."""
        return {
            int(name.removeprefix("progress-")): value
            for name, value in self.cleaned_data.items() if name.startswith("progress-")
        }


class PeriodicReasonForm(forms.Form):
    """Why the district sends a periodic report back (return, reopen): the school reads it."""

    reason = forms.CharField(
        label=_("Lý do"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
        error_messages={"required": _("Hãy nêu lý do để nhà trường biết cần chỉnh sửa gì.")},
        help_text=_("Nhà trường đọc lý do này trên trang báo cáo định kỳ và trong thông báo."),
    )


class PeriodicAcceptForm(forms.Form):
    note = forms.CharField(label=_("Nhận xét (không bắt buộc)"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}))


# --- TT57/2026: the unit's deadlines of the year, recognition by the Sở -----------------------------


class DeadlineAddForm(forms.Form):
    """Add one deadline of the year: the kind, its date (empty: the default 20/12, 10/5 or 15/6)."""

    period = forms.ChoiceField(label=_("Loại hạn"), choices=())
    due_date = _date_field(_("Hạn"), help_text=_("Để trống để dùng ngày mặc định (20/12, 10/5 hoặc 15/6)."))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)
        self.fields["period"].error_messages["invalid_choice"] = _("Loại hạn này đã có hoặc không hợp lệ.")


class DeadlineRemoveForm(RevisionMixin):
    """Remove a deadline: only the revision it was shown with."""


class Facilities57Form(RevisionMixin):
    degree = forms.TypedChoiceField(label=_("Cơ sở vật chất, thiết bị dạy học, an toàn trường học"), coerce=int,
                                    choices=(), initial=0)
    note = forms.CharField(label=_("Ghi chú của Sở GD&ĐT"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .models import FACILITIES_CHOICES_TT57

        super().__init__(*args, **kwargs)
        self.fields["degree"].choices = FACILITIES_CHOICES_TT57


class Recognition57Form(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-SGDĐT"))
    decision_date = _date_field(_("Ngày quyết định"), required=True)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, initial="Sở Giáo dục và Đào tạo")
    degree = forms.TypedChoiceField(label=_("Mức độ công nhận"), coerce=int, choices=())
    confirmed = forms.BooleanField(
        label=_("Sở GD&ĐT xác nhận điều kiện a), b) theo hồ sơ ngoài hệ thống"), required=False,
        help_text=_("Chỉ khi hệ thống chưa thể hiện đủ số khóa hoàn thành chương trình hoặc dữ liệu 03 năm học liên tiếp."),
    )
    conditions_note = forms.CharField(label=_("Căn cứ xác nhận"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        from .models import DEGREE_CHOICES_TT57

        super().__init__(*args, **kwargs)
        self.fields["degree"].choices = DEGREE_CHOICES_TT57

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Ngày quyết định không được ở tương lai."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("confirmed") and not (data.get("conditions_note") or "").strip():
            self.add_error("conditions_note", _("Hãy ghi căn cứ xác nhận điều kiện."))
        return data
