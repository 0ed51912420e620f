"""Forms of the schools app: they validate and do nothing else."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, School, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập hoặc email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập/email hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường trong mật khẩu."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(label=_("Email đã đăng ký"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SchoolForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = [
            "code", "name", "former_names", "level", "ownership", "reviewing_unit", "founding_year",
            "address", "ward", "phone", "email", "website", "principal_name", "sites_count",
            "is_difficult_area", "is_especially_difficult_area", "status", "merged_into",
        ]
        widgets = {"former_names": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, units=None, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["reviewing_unit"].queryset = units
            only = list(units[:2])
            if len(only) == 1 and not self.instance.pk:
                self.fields["reviewing_unit"].initial = only[0].pk
        if schools is not None:
            self.fields["merged_into"].queryset = schools.exclude(pk=self.instance.pk) if self.instance.pk else schools
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Thông tin chung"),
                Row(Column("code", css_class="col-md-3"), Column("name", css_class="col-md-9")),
                Row(
                    Column("level", css_class="col-md-4"),
                    Column("ownership", css_class="col-md-4"),
                    Column("reviewing_unit", css_class="col-md-4"),
                ),
                Row(Column("founding_year", css_class="col-md-3"), Column("sites_count", css_class="col-md-3"),
                    Column("principal_name", css_class="col-md-6")),
                "former_names",
            ),
            Fieldset(
                _("Liên hệ"),
                Row(Column("address", css_class="col-md-8"), Column("ward", css_class="col-md-4")),
                Row(Column("phone", css_class="col-md-4"), Column("email", css_class="col-md-4"),
                    Column("website", css_class="col-md-4")),
            ),
            Fieldset(
                _("Đặc điểm và trạng thái"),
                Row(Column("is_difficult_area", css_class="col-md-6"), Column("is_especially_difficult_area", css_class="col-md-6")),
                Row(Column("status", css_class="col-md-6"), Column("merged_into", css_class="col-md-6")),
            ),
            Submit("save", _("Lưu")),
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == School.Status.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Trường đã sáp nhập phải ghi rõ sáp nhập vào trường nào."))
        return data


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Mỗi dòng một trường, theo đúng mẫu. Tối đa 5 MB."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return f


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Email này đã được dùng cho một tài khoản khác."))
        return email


class AccountForm(ProfileForm):
    class Meta(ProfileForm.Meta):
        fields = ["username", "full_name", "email", "phone", "position", "is_active"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].required = True
        if creating:
            del self.fields["is_active"]


class MembershipForm(forms.Form):
    """A role at a school or a unit the acting user manages."""

    role = forms.ChoiceField(label=_("Vai trò"))
    school = forms.ModelChoiceField(label=_("Trường"), queryset=School.objects.none(), required=False)
    organisation = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Organisation.objects.none(), required=False)
    title = forms.CharField(label=_("Chức danh"), max_length=120, required=False)

    def __init__(self, *args, roles, schools, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["school"].queryset = schools
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in Membership.SCHOOL_ROLES:
            if not data.get("school"):
                self.add_error("school", _("Vai trò ở trường cần chọn trường."))
            data["organisation"] = None
        elif role:
            if not data.get("organisation"):
                self.add_error("organisation", _("Vai trò ở Phòng/Sở cần chọn đơn vị."))
            data["school"] = None
            org = data.get("organisation")
            if org is not None:
                wants_department = role == Membership.Role.DEPARTMENT_OFFICER
                if wants_department != (org.kind == Organisation.Kind.DEPARTMENT):
                    self.add_error("organisation", _("Đơn vị không phù hợp với vai trò đã chọn."))
        return data
