"""Forms of the exports: they validate and do nothing else."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from selfassessment.models import Report

from .selectors import HASH_PREFIX_MIN, normalise_code


class VerifyForm(forms.Form):
    """The code printed in a document's footer ("mã kiểm tra"), or the whole SHA-256."""

    code = forms.CharField(
        label=_("Mã kiểm tra"),
        max_length=100,
        help_text=_("Mã in ở chân mỗi trang báo cáo (16 ký tự), hoặc toàn bộ mã băm SHA-256 (64 ký tự)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "3f9a1c0b7d2e4a61"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = True
        self.helper.layout = Layout(
            Row(Column("code", css_class="col-md-8"),
                Column(Submit("submit", _("Đối chiếu"), css_class="btn-kd mt-md-4"), css_class="col-md-4")),
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code or any(ch not in "0123456789abcdef" for ch in code):
            raise forms.ValidationError(_("Mã kiểm tra chỉ gồm chữ số 0–9 và chữ cái a–f."))
        if len(code) < HASH_PREFIX_MIN:
            raise forms.ValidationError(
                _("Hãy nhập ít nhất %(n)s ký tự của mã kiểm tra.") % {"n": HASH_PREFIX_MIN}
            )
        if len(code) > 64:
            raise forms.ValidationError(_("Mã băm SHA-256 dài đúng 64 ký tự."))
        return code


class DossierForm(forms.Form):
    include_files = forms.BooleanField(
        label=_("Kèm các tệp minh chứng"),
        required=False,
        help_text=_(
            "Mặc định hồ sơ gồm công văn, báo cáo tự đánh giá (PDF) và danh mục minh chứng (Excel, có mã băm "
            "của từng tệp). Kèm tệp minh chứng làm hồ sơ lớn hơn nhiều."
        ),
    )


class SummaryForm(forms.Form):
    """Which district summary: a reviewing unit (or all the user reaches), a school year, a report kind."""

    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, required=False, empty_value=None)
    school_year = forms.TypedChoiceField(label=_("Năm học"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=Report.Kind.choices, required=False)

    def __init__(self, *args, units, school_years, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Mọi đơn vị"))] + [(u.pk, str(u)) for u in units]
        now = _("Năm học hiện tại (%(year)s)") % {"year": current.code} if current else _("Năm học hiện tại")
        self.fields["school_year"].choices = [("", now)] + [(y.pk, y.code) for y in school_years]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(Column("unit", css_class="col-md-4"), Column("school_year", css_class="col-md-3"),
                Column("kind", css_class="col-md-5")),
        )
        self.helper.form_tag = False

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or Report.Kind.PERIODIC
