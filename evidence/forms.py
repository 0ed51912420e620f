"""Forms of the evidence library: they validate, the services write."""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from kiemdinh.dates import DOCUMENTS, DateField, DateInput, bound_date_fields
from kiemdinh.widgets import TitledSelect
from schools.forms import HiddenFieldErrorsMixin
from standards.models import Criterion

from . import uploads
from .models import Evidence
from .services import EDITABLE_FIELDS, max_upload_bytes

ACCEPT = ",".join(f".{ext}" for ext in sorted(uploads.ALLOWED_EXTENSIONS))


def criterion_choices(criteria: list[Criterion], *, blank: str | None = None) -> list:
    """Criteria grouped by standard for a <select>, in the catalog's order."""
    groups: dict[int, tuple[str, list]] = {}
    for criterion in criteria:
        standard = criterion.standard
        label = _("Tiêu chuẩn %(number)s") % {"number": standard.number}
        if standard.title:
            label = f"{label}: {standard.title}"
        title = f"{criterion.number}. {criterion.title}" if criterion.title else str(criterion.number)
        groups.setdefault(standard.number, (label, []))[1].append((criterion.pk, title))
    choices: list = [("", blank)] if blank is not None else []
    choices.extend(groups[number] for number in sorted(groups))
    return choices


class CriterionChoiceField(forms.TypedChoiceField):
    """A grouped choice of criteria that cleans to the Criterion itself."""

    widget = TitledSelect

    def __init__(self, *, criteria: list[Criterion], **kwargs):
        self.criteria = {c.pk: c for c in criteria}
        super().__init__(coerce=int, choices=criterion_choices(criteria, blank="—"), **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk in (None, ""):
            return None
        return self.criteria[pk]


class EvidenceForm(HiddenFieldErrorsMixin, forms.ModelForm):
    """Create (with the criterion to code under) or edit an item; a file is optional."""

    criterion = forms.Field(required=False)  # replaced in __init__ when creating
    link = forms.URLField(
        label=_("Đường dẫn"), required=False, max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Nếu minh chứng là một trang web hoặc tệp trên cổng thông tin."),
    )
    upload = forms.FileField(
        label=_("Tệp đính kèm"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    remove_file = forms.BooleanField(label=_("Xóa tệp đang đính kèm"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Evidence
        fields = list(EDITABLE_FIELDS)
        field_classes = {"issued_on": DateField, "valid_until": DateField}
        widgets = {
            "issued_on": DateInput(),
            "valid_until": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args, criteria: list[Criterion] | None = None, oversize: str = "", cancel_url: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.cancel_url = cancel_url
        self.creating = self.instance.pk is None
        self.oversize = oversize
        self.fields["box"].required = False
        self.fields["box"].widget.attrs["min"] = 1
        self.fields["box"].help_text = _("Để trống: hộp mang số của tiêu chuẩn.")
        bound_date_fields(self, ("issued_on", "valid_until"), bounds=DOCUMENTS)
        limit = uploads.human_size(max_upload_bytes())
        self.fields["upload"].help_text = _("%(help)s Tối đa %(limit)s. Để trống nếu chỉ có bản giấy hoặc đường dẫn.") % {
            "help": uploads.UPLOAD_HELP, "limit": limit,
        }
        if self.creating:
            self.fields["criterion"] = CriterionChoiceField(
                criteria=criteria or [],
                label=_("Tiêu chí mã hóa"),
                help_text=_("Tiêu chí dùng minh chứng đầu tiên; mã minh chứng được tạo theo tiêu chí này và giữ nguyên về sau."),
            )
            self.fields["criterion"].widget.attrs["autofocus"] = True
            del self.fields["remove_file"]
            del self.fields["version"]
        else:
            del self.fields["criterion"]
            self.fields["version"].initial = self.instance.version
            if not self.instance.file:
                del self.fields["remove_file"]
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = True
        helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}
        file_parts = []
        if not self.creating and self.instance.file:
            file_parts.append(HTML(
                '{% load i18n %}<p class="small mb-2"><i class="bi bi-paperclip"></i> {% translate "Tệp hiện tại:" %} '
                "<strong>{{ evidence.file_name }}</strong> ({{ evidence.file_size_display }}). "
                '{% translate "Chọn tệp mới để thay thế." %}</p>'
            ))
        file_parts.append(Field("upload"))
        if "remove_file" in self.fields:
            file_parts.append(Field("remove_file"))
        helper.layout = Layout(
            Field("criterion") if self.creating else Div(),
            Field("name"),
            Row(
                Column("issued_number", css_class="col-md-4"),
                Column("issued_on", css_class="col-md-3"),
                Column("issued_period", css_class="col-md-5"),
            ),
            Field("issuer"),
            Row(Column("box", css_class="col-md-3"), Column("valid_until", css_class="col-md-4"),
                Column("link", css_class="col-md-5")),
            Field("note"),
            Div(*file_parts, css_class="border rounded p-3 mb-3 bg-light"),
            Field("version") if "version" in self.fields else Div(),
            Div(
                StrictButton(_("Lưu minh chứng"), type="submit", name="save", value="1", css_class="btn-kd"),
                StrictButton(
                    _("Lưu và thêm minh chứng khác"), type="submit", name="save_add", value="1",
                    css_class="btn-outline-primary",
                )
                if self.creating else Div(),
                HTML(f'<a class="btn btn-link" href="{escape(self.cancel_url)}">{escape(_("Hủy"))}</a>')
                if self.cancel_url else Div(),
                css_class="d-flex flex-wrap gap-2",
            ),
        )
        return helper

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError(_("Hãy nhập tên minh chứng."))
        return name

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.oversize:
            raise forms.ValidationError(self.oversize)
        if upload is None:
            return None
        try:
            uploads.check_upload(upload, name=upload.name, size=upload.size or 0, max_bytes=max_upload_bytes())
        except uploads.UploadError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload

    def clean(self):
        data = super().clean()
        issued_on, valid_until = data.get("issued_on"), data.get("valid_until")
        if issued_on and valid_until and valid_until < issued_on:
            self.add_error("valid_until", _("Ngày hết hiệu lực phải sau ngày ban hành."))
        if data.get("remove_file") and data.get("upload"):
            self.add_error("remove_file", _("Bạn vừa chọn tệp mới và vừa chọn xóa tệp; hãy chọn một trong hai."))
        return data

    def service_fields(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in EDITABLE_FIELDS}


class CriterionPickForm(forms.Form):
    """Pick a criterion: to share an item with it, or to move the item there."""

    criterion = forms.Field()

    def __init__(self, *args, criteria: list[Criterion], label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"] = CriterionChoiceField(criteria=criteria, label=label or _("Tiêu chí"))
        self.fields["criterion"].widget.attrs["class"] = "form-select form-select-sm"
