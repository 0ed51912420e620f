"""Forms of the standards app: they validate and do nothing else."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_SUFFIXES = (".json", ".xlsx")


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bộ tiêu chuẩn"),
        help_text=_("JSON (cùng dạng với tệp xuất ra) hoặc Excel theo tệp mẫu; tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Chỉ nhận tệp .json hoặc .xlsx."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload


class ScheduleForm(forms.Form):
    """The school year whose regulations the schedule page shows."""

    year = forms.RegexField(regex=r"^\d{4}-\d{4}$", required=False)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year and int(year[5:]) != int(year[:4]) + 1:
            raise forms.ValidationError(_("Năm học phải có dạng 2024-2025."))
        return year
