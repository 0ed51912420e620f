"""Forms of the district review: they validate input and nothing else (the services decide)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from schools.forms import HiddenFieldErrorsMixin
from schools.models import User

from .gates import SECTIONS
from .services import MAX_COMMENT, MAX_REASON


class _Crispy(forms.Form):
    submit_label = _("Gửi")
    submit_css = "btn btn-kd"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", self.submit_label, css_class=self.submit_css))


def _text(label, *, required=True, max_length=MAX_REASON, rows=4, help_text="", placeholder=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, strip=True, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "placeholder": placeholder}),
        error_messages={"required": _("Trường này không được để trống.")},
    )


class ReturnForm(_Crispy):
    submit_label = _("Trả lại báo cáo")
    submit_css = "btn btn-warning"
    reason = _text(
        _("Lý do trả lại"), rows=6,
        help_text=_("Nhà trường đọc lý do này cùng danh sách góp ý chưa xử lý để chỉnh sửa báo cáo."),
        placeholder=_("Ví dụ: Cần bổ sung minh chứng cho các tiêu chí 1.3, 2.1; mô tả hiện trạng tiêu chí 3.2 chưa rõ..."),
    )


class AcceptForm(forms.Form):
    note = _text(_("Ý kiến (không bắt buộc)"), required=False, rows=2)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("Chuyên viên thẩm định"), queryset=None, empty_label=None,
        error_messages={"invalid_choice": _("Người được chọn không thuộc đơn vị quản lý trường.")},
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["reviewer"].queryset = User.objects.filter(pk__in=[u.pk for u in reviewers])
        self.fields["reviewer"].label_from_instance = lambda u: u.display_name


class UnlockRequestForm(_Crispy):
    submit_label = _("Gửi đề nghị mở khóa")
    reason = _text(
        _("Lý do đề nghị mở khóa"), rows=5,
        help_text=_("Đơn vị thẩm định xem xét và đồng ý hoặc không; báo cáo chỉ được chỉnh sửa khi được đồng ý."),
    )


class UnlockDecisionForm(forms.Form):
    note = _text(_("Ý kiến"), required=False, rows=2)


class ThreadForm(HiddenFieldErrorsMixin, _Crispy):
    """A new comment thread; where it points comes from hidden fields set by the page."""

    submit_label = _("Gửi góp ý")
    text = _text(_("Nội dung góp ý"), max_length=MAX_COMMENT, rows=3)
    # Bounded like the integer columns they are looked up in.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    criterion = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    standard = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    passage_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    quote = forms.CharField(
        label=_("Đoạn trích (không bắt buộc)"), required=False, max_length=2000,
        help_text=_("Bôi đen một đoạn trong văn bản để trích tự động, hoặc dán đoạn cần góp ý."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    text = _text(_("Trả lời"), max_length=MAX_COMMENT, rows=2)


class CriterionReviewForm(forms.Form):
    reviewed = forms.BooleanField(required=False)


class CompareForm(forms.Form):
    a = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    b = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    changed_only = forms.BooleanField(required=False)


class UnitSettingsForm(_Crispy):
    """How the unit reviews: the head's final approval, and the sections required before a submission."""

    submit_label = _("Lưu")
    requires_head_approval = forms.BooleanField(
        label=_("Thủ trưởng đơn vị phê duyệt cuối cùng"), required=False,
        help_text=_("Khi bật, chuyên viên chấp nhận báo cáo chỉ là đề nghị; thủ trưởng đơn vị chấp nhận và chuyển Sở."),
    )
    required_sections = forms.MultipleChoiceField(
        label=_("Phần nhà trường phải hoàn thành trước khi nộp báo cáo"), required=False,
        choices=list(SECTIONS.items()), widget=forms.CheckboxSelectMultiple,
        help_text=_("Nhà trường không nộp được khi một phần được chọn chưa hoàn thành; Hiệu trưởng thấy danh sách "
                    "các phần còn thiếu trên trang báo cáo."),
    )
    # The settings the page was opened with (services.unit_settings_token): a concurrent save is refused.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, head_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if head_label:  # the unit's own head: "Trưởng phòng Văn hóa – Xã hội phê duyệt cuối cùng"
            field = self.fields["requires_head_approval"]
            field.label = _("%(head)s phê duyệt cuối cùng") % {"head": head_label}
            field.help_text = _("Khi bật, chuyên viên chấp nhận báo cáo chỉ là đề nghị; %(head)s chấp nhận và chuyển "
                                "Sở.") % {"head": head_label}
