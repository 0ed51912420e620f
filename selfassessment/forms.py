"""Forms of the self-assessment reports: they validate and do nothing else (services write)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from kiemdinh.dates import BoundedDateField, DateInput
from schools.forms import BoundedModelMultipleChoiceField, HiddenFieldErrorsMixin, email_error, username_error
from schools.models import SchoolYear, User
from standards.models import RegulationVersion

from . import schooldata
from .models import CouncilMember, ImprovementAction, Report

DATE = DateInput()


class ReportCreateForm(HiddenFieldErrorsMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, empty_label=None)
    school_year = forms.ModelChoiceField(label=_("Năm học"), queryset=SchoolYear.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Report.Kind.choices, initial=Report.Kind.PERIODIC)
    copy_previous = forms.BooleanField(
        label=_("Bắt đầu từ báo cáo năm trước"),
        required=False,
        help_text=_("Chép nội dung, kết luận chỉ báo, kế hoạch cải tiến, Hội đồng, kế hoạch tự đánh giá và số liệu Phần I "
                    "từ báo cáo gần nhất của trường; mọi nội dung chép sang được đánh dấu “cần rà soát”."),
    )

    def __init__(self, *args, schools, school_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school_year"].queryset = school_years
        if len(schools) == 1:
            self.fields["school"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "school",
            Row(Column("school_year", css_class="col-md-4"), Column("kind", css_class="col-md-8")),
            "copy_previous",
            Submit("create", _("Tạo báo cáo"), css_class="btn-kd"),
        )


class PassageForm(forms.Form):
    """A text saved on top of the revision the writer saw (the no-script fallback of autosave)."""

    text = forms.CharField(label=_("Nội dung"), required=False, strip=False, widget=forms.Textarea)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


VERDICT_CHOICES = [("dat", _("Đạt")), ("khong_dat", _("Không đạt")), ("", _("Chưa đánh giá"))]
VERDICT_VALUES = {"dat": True, "khong_dat": False, "": None}


class VerdictForm(forms.Form):
    met = forms.ChoiceField(label=_("Kết luận"), choices=VERDICT_CHOICES, required=False)
    # The verdict the user saw ("none" when the page did not say): a change since is refused.
    expected = forms.ChoiceField(choices=[*VERDICT_CHOICES, ("any", "any")], required=False)

    def clean(self):
        data = super().clean()
        data["met_value"] = VERDICT_VALUES[data.get("met") or ""]
        expected = self.data.get("expected", "any")
        data["has_expected"] = expected != "any" and expected in VERDICT_VALUES
        data["expected_value"] = VERDICT_VALUES.get(expected) if data["has_expected"] else None
        return data


class ImprovementActionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    action = forms.CharField(label=_("Nội dung, biện pháp"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    responsible = forms.CharField(label=_("Người, bộ phận thực hiện"), max_length=255, required=False)
    start_on = BoundedDateField(label=_("Từ ngày"), required=False, widget=DATE)
    due_on = BoundedDateField(label=_("Đến ngày"), required=False, widget=DATE)
    resources = forms.CharField(label=_("Nguồn lực, kinh phí"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                max_length=4000)
    expected_result = forms.CharField(label=_("Kết quả dự kiến"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False, max_length=4000)

    def clean(self):
        data = super().clean()
        start, due = data.get("start_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class BaseActionFormSet(forms.BaseFormSet):
    # Django's own messages for these are not translated into Vietnamese.
    default_error_messages = {
        "missing_management_form": _("Dữ liệu gửi lên không đầy đủ; hãy tải lại trang rồi thử lại."),
        "too_many_forms": _("Kế hoạch có tối đa %(num)d dòng."),
        "too_few_forms": _("Kế hoạch cần ít nhất %(num)d dòng."),
    }

    def items(self) -> list[dict]:
        """The rows as the service takes them; blank new rows are skipped."""
        return [item for _prefix, item in self.prefixed_items()]

    def prefixed_items(self) -> list[tuple[str, dict]]:
        """(form prefix, item) of each row items() gives, so a page can learn the ids of new rows."""
        items = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            data = dict(form.cleaned_data)
            items.append((form.prefix, {"id": data.get("id"), "delete": data.get("DELETE", False),
                                        **{f: data.get(f) for f in ("action", "responsible", "start_on", "due_on",
                                                                    "resources", "expected_result")}}))
        return items


ImprovementActionFormSet = forms.formset_factory(
    ImprovementActionForm, formset=BaseActionFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


def action_initial(actions: list[ImprovementAction]) -> list[dict]:
    return [
        {"id": a.pk, "action": a.action, "responsible": a.responsible, "start_on": a.start_on, "due_on": a.due_on,
         "resources": a.resources, "expected_result": a.expected_result}
        for a in actions
    ]


class TokenForm(forms.Form):
    token = forms.CharField(max_length=64, widget=forms.HiddenInput)


class CouncilDecisionForm(forms.Form):
    # The report's council_revision the writer saw (absent: an old page; saved without the check).
    revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decision_date = BoundedDateField(label=_("Ngày quyết định"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "revision",
            Row(Column("decision_number", css_class="col-md-6"), Column("decision_date", css_class="col-md-6")),
        )


class CouncilMemberForm(HiddenFieldErrorsMixin, forms.ModelForm):
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    user = forms.ModelChoiceField(label=_("Tài khoản"), queryset=User.objects.none(), required=False,
                                  empty_label=_("— chưa gắn tài khoản —"))

    class Meta:
        model = CouncilMember
        fields = ["full_name", "title", "role", "duty", "in_secretary_group", "user"]

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
        self.fields["role"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "token",
            Row(Column("full_name", css_class="col-md-6"), Column("title", css_class="col-md-6")),
            Row(Column("role", css_class="col-md-6"), Column("duty", css_class="col-md-6")),
            Row(Column("user", css_class="col-md-8"), Column(Field("in_secretary_group"), css_class="col-md-4 pt-md-4")),
        )


class MemberAccountForm(forms.Form):
    username = forms.SlugField(
        label=_("Tên đăng nhập"), max_length=150,
        error_messages={"invalid": _("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới và gạch ngang.")},
    )
    email = forms.EmailField(label=_("Email (để nhận thư đặt mật khẩu)"), required=False)

    def clean_username(self):
        # The one rule for login names (schools.forms.username_error): unique whatever the case.
        username = self.cleaned_data["username"].lower()
        error = username_error(username)
        if error:
            raise forms.ValidationError(error)
        return username

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        error = email_error(email)
        if error:
            raise forms.ValidationError(error)
        return email


class WorkingGroupForm(HiddenFieldErrorsMixin, forms.Form):
    errors_at_top = ("members", "criteria")  # checkboxes laid out by hand on the page
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Tên nhóm"), max_length=120)
    leader = forms.ModelChoiceField(label=_("Nhóm trưởng"), queryset=CouncilMember.objects.none(), required=False)
    members = BoundedModelMultipleChoiceField(
        label=_("Thành viên"), queryset=CouncilMember.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    criteria = BoundedModelMultipleChoiceField(
        label=_("Tiêu chí phụ trách"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = members
        self.fields["members"].queryset = members
        self.fields["criteria"].queryset = criteria
        self.fields["criteria"].label_from_instance = lambda c: c.number


class PlanStepForm(forms.Form):
    week = forms.IntegerField(label=_("Tuần"), min_value=1, max_value=104)
    activity = forms.CharField(label=_("Hoạt động"), widget=forms.Textarea(attrs={"rows": 1}), max_length=2000)
    responsible = forms.CharField(label=_("Người thực hiện"), max_length=200, required=False)


PlanStepFormSet = forms.formset_factory(PlanStepForm, extra=2, can_delete=True, max_num=104, validate_max=True)


class PlanResourcesForm(forms.Form):
    """One pair of fields per criterion: resources (r_<id>) and when (w_<id>)."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"r_{criterion.pk}"] = forms.CharField(
                label=_("Nguồn lực tiêu chí %(n)s") % {"n": criterion.number}, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"w_{criterion.pk}"] = forms.CharField(
                label=_("Thời điểm huy động tiêu chí %(n)s") % {"n": criterion.number}, required=False, max_length=120
            )

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"r_{criterion.pk}"], self[f"w_{criterion.pk}"]

    def resources(self) -> dict[int, tuple[str, str]]:
        return {c.pk: (self.cleaned_data.get(f"r_{c.pk}", ""), self.cleaned_data.get(f"w_{c.pk}", "")) for c in self.criteria}


class DataTableForm(forms.Form):
    """The typed cells of one Phần I table, named ``c__<row>__<column>``."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, spec: schooldata.TableSpec, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.spec, self.years = spec, years
        for row in spec.input_rows():
            for column in spec.input_columns(years):
                self.fields[self.field_name(row.key, column)] = forms.CharField(required=False, max_length=12)

    @staticmethod
    def field_name(row: str, column: str) -> str:
        return f"c__{row}__{column}"

    def clean(self):
        data = super().clean()
        raw = {}
        for row in self.spec.input_rows():
            for column in self.spec.input_columns(self.years):
                name = self.field_name(row.key, column)
                value = data.get(name, "")
                try:
                    schooldata.parse_cell(value)
                except ValueError:
                    self.add_error(name, _("“%(v)s” không phải số nguyên từ 0 đến %(max)s.") % {"v": value, "max": schooldata.MAX_VALUE})
                raw[(row.key, column)] = value
        data["raw"] = raw
        return data


class FactsForm(forms.Form):
    # The number the writer saw ("" for none; absent on an old page: saved without the check).
    expected = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    completed_cohorts = forms.IntegerField(
        label=_("Số khóa học sinh đã hoàn thành chương trình"), min_value=0, max_value=200, required=False,
        help_text=_("Điều kiện để công nhận Cấp độ và chuẩn quốc gia (Điều 34, 37): trường đã có ít nhất một khóa "
                    "học sinh hoàn thành chương trình. Với trường mầm non, bỏ trống."),
    )


class RegulationChangeForm(forms.Form):
    version = forms.ModelChoiceField(label=_("Bộ tiêu chuẩn và phiên bản"), queryset=RegulationVersion.objects.none(),
                                     empty_label=None)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.regulation.code} – {v.code}" + (
            f" ({v.regulation.get_status_display()})" if v.regulation.status != "current" else "")
        self.helper = FormHelper()
        self.helper.layout = Layout("version", Submit("save", _("Đổi bộ tiêu chuẩn"), css_class="btn-danger"))
