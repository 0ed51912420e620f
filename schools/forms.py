"""Forms of the schools app: they validate and do nothing else."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kiemdinh.language import language_of

from .models import Membership, Organisation, School, User


class HiddenFieldErrorsMixin:
    """Errors the page cannot show beside their field are repeated at the top of the form.

    A hidden field (a revision, a token, an id the page set) has no place on the page to say it
    was refused, and a stale or tampered page must still tell the person what to do rather than
    come back silently. The same goes for the fields a template lays out by hand without their
    errors (``errors_at_top``, e.g. a list of checkboxes).
    """

    hidden_field_error = _("Dữ liệu gửi lên không hợp lệ hoặc trang đã cũ; hãy tải lại trang rồi thử lại.")
    errors_at_top: tuple[str, ...] = ()

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        top = []
        for name, field in self.fields.items():
            if name not in self._errors:
                continue
            if field.widget.is_hidden:
                top.append(self.hidden_field_error)
            elif name in self.errors_at_top:
                top.extend(f"{field.label}: {error}" for error in self._errors[name])
        if top:
            errors = self._errors.setdefault(
                NON_FIELD_ERRORS, self.error_class(error_class="nonfield", renderer=self.renderer)
            )
            errors.extend(message for message in dict.fromkeys(top) if message not in errors)


def revision_field() -> forms.IntegerField:
    """The row revision an edit page was rendered with, posted back so that the service refuses a
    save based on an older state (the project's one concurrent-edit check: a hidden ``revision``,
    as in evaluations.forms.RevisionMixin). Required: a page without it is stale or tampered, and
    HiddenFieldErrorsMixin says so at the top of the form."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids outside the database's integer range itself.

    Django checks a posted list with an ``__in`` query, which on SQLite raises OverflowError (a
    500) for an id past 2**63; and its own message for a malformed id is not translated.
    """

    default_error_messages = {"invalid_pk_value": _("“%(pk)s” không phải là một lựa chọn hợp lệ.")}

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: the parent refuses it
            if not 0 < number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


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


class LimitedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, refusing the current password while the login is locked.

    A session left open must not let someone guess the password without bound: wrong current
    passwords count as failed logins of the account at this address (the view reports them).
    """

    locked_message = _("Mật khẩu hiện tại bị nhập sai quá nhiều lần; việc đổi mật khẩu tạm khóa trên máy này. "
                       "Hãy thử lại sau ít phút.")

    def __init__(self, user, *args, locked: bool = False, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.locked = locked

    def clean_old_password(self):
        if self.locked:
            raise forms.ValidationError(self.locked_message, code="locked")
        return super().clean_old_password()


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(label=_("Email đã đăng ký"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The link goes out in the account owner's language (their choice), not the requester's."""
        with translation.override(language_of(context.get("user"))):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SchoolForm(HiddenFieldErrorsMixin, forms.ModelForm):
    revision = revision_field()
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    # The model's check constraints would refuse these with Django's English "Constraint … is violated".
    founding_year = forms.IntegerField(
        label=_("Năm thành lập"), required=False, min_value=1800, max_value=2100,
        error_messages={"min_value": _("Năm thành lập phải từ 1800 đến 2100."),
                        "max_value": _("Năm thành lập phải từ 1800 đến 2100.")},
    )
    sites_count = forms.IntegerField(
        label=_("Số điểm trường"), min_value=1, max_value=999, initial=1,
        error_messages={"min_value": _("Số điểm trường phải từ 1 đến 999."),
                        "max_value": _("Số điểm trường phải từ 1 đến 999.")},
    )

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
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        else:
            del self.fields["revision"]
        if units is not None:
            self.fields["reviewing_unit"].queryset = units
            only = list(units[:2])
            if len(only) == 1 and not self.instance.pk:
                self.fields["reviewing_unit"].initial = only[0].pk
        if schools is not None:
            self.fields["merged_into"].queryset = schools.exclude(pk=self.instance.pk) if self.instance.pk else schools
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "revision",
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


USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]+$")


def username_error(username: str, *, exclude_pk: int | None = None) -> str:
    """Why a new username cannot be used, or "" (one rule for every form that names an account).

    Letters without marks only, so that no "Ꭺdmin" or "аdmin" (another alphabet's look-alike)
    passes for the administrator; no "@", so that no username can be somebody's e-mail (people
    log in with their e-mail anyway); unique whatever the case, so that "Admin" or "TP.DONGDA"
    cannot shadow "admin" or "tp.dongda" at the login box.
    """
    if "@" in username:
        return _("Tên đăng nhập không được chứa @ (người dùng vẫn đăng nhập được bằng email).")
    if not USERNAME_PATTERN.match(username):
        return _("Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới và gạch ngang.")
    if User.objects.filter(username__iexact=username).exclude(pk=exclude_pk).exists():
        return _("Tên đăng nhập “%(name)s” đã có người dùng (không phân biệt chữ hoa, chữ thường).") % {
            "name": username}
    return ""


def email_error(email: str, *, exclude_pk: int | None = None) -> str:
    """Why an e-mail cannot be an account's, or "": taken by another account, whatever the case."""
    if email and User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        return _("Email này đã được dùng cho một tài khoản khác.")
    return ""


class ProfileForm(HiddenFieldErrorsMixin, forms.ModelForm):
    revision = revision_field()

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision
        else:
            del self.fields["revision"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        error = email_error(email, exclude_pk=self.instance.pk)
        if error:
            raise forms.ValidationError(error)
        return email

    def clean(self):
        data = super().clean()
        # An older account may log in with its e-mail as username; the database keeps such a
        # username equal to the account's own e-mail, so the two change together.
        username = data.get("username", self.instance.username) or ""
        email = data.get("email")
        if "@" in username and email is not None and username.lower() != email.lower() and "username" not in self.errors:
            message = _("Tên đăng nhập đang là địa chỉ email cũ (%(name)s); hãy đổi tên đăng nhập trước khi đổi "
                        "email.") % {"name": username}
            self.add_error("username" if "username" in self.fields else "email", message)
        return data


class AccountForm(ProfileForm):
    class Meta(ProfileForm.Meta):
        fields = ["username", "full_name", "email", "phone", "position", "is_active"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["username", "full_name", "email", "phone", "position", "is_active", "revision"])
        self.fields["full_name"].required = True
        self.fields["email"].required = True
        if creating:
            del self.fields["is_active"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if self.instance.pk and username == self.instance.username:
            return username  # an older name stays usable as it is
        error = username_error(username, exclude_pk=self.instance.pk)
        if error:
            raise forms.ValidationError(error)
        return username


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
