"""Forms of Biểu 2 (TT57/2026 improvement plan): they validate, the services write.

Every form posts back the ``revision`` of what it showed (a new row: 0). Choice lists (standards,
issues, actions) are given as plain choices built once per page, so that many row forms on one
page cost no query each.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiemdinh.dates import BoundedDateField, DateInput

from .models import Plan57Action, Plan57Check
from .services import MAX_TEXT_LENGTH

CELL = 5000


def _area(rows: int = 2, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class _RevisionForm(forms.Form):
    revision = forms.IntegerField(min_value=0, max_value=2_000_000_000, widget=forms.HiddenInput,
                                  error_messages={"required": _("Thiếu phiên bản của dữ liệu; hãy tải lại trang."),
                                                  "invalid": _("Phiên bản không hợp lệ; hãy tải lại trang.")})


class Plan57SectionsForm(_RevisionForm):
    """Sections II (căn cứ) and VII (tổ chức thực hiện)."""

    basis_report = forms.CharField(label=_("1. Báo cáo tự đánh giá năm học"), required=False, widget=_area(3),
                                   max_length=MAX_TEXT_LENGTH)
    basis_review = forms.CharField(label=_("2. Kết quả rà soát việc thực hiện kế hoạch cải tiến chất lượng năm học trước"),
                                   required=False, widget=_area(3), max_length=MAX_TEXT_LENGTH)
    basis_school_plan = forms.CharField(label=_("3. Kế hoạch năm học và định hướng phát triển của cơ sở giáo dục"),
                                        required=False, widget=_area(2), max_length=MAX_TEXT_LENGTH)
    basis_other = forms.CharField(label=_("4. Căn cứ khác (nếu có)"), required=False, widget=_area(2),
                                  max_length=MAX_TEXT_LENGTH)
    org_head = forms.CharField(label=_("1. Người đứng đầu cơ sở giáo dục"), required=False, widget=_area(2),
                               max_length=MAX_TEXT_LENGTH)
    org_council = forms.CharField(label=_("2. Hội đồng tự đánh giá"), required=False, widget=_area(2),
                                  max_length=MAX_TEXT_LENGTH)
    org_groups = forms.CharField(label=_("3. Các tổ chuyên môn và bộ phận liên quan"), required=False, widget=_area(2),
                                 max_length=MAX_TEXT_LENGTH)


def _choice(label, choices, required=False):
    return forms.TypedChoiceField(label=label, choices=[("", "—"), *choices], coerce=int, required=required,
                                  empty_value=None,
                                  error_messages={"invalid_choice": _("Lựa chọn không hợp lệ; hãy tải lại trang.")})


class Plan57IssueForm(_RevisionForm):
    """A row of table IV."""

    standard = forms.TypedChoiceField(label=_("Tiêu chuẩn"), required=False)
    criteria = forms.CharField(label=_("Tiêu chí liên quan (nếu có)"), required=False, max_length=200,
                               help_text=_("Ví dụ: 1.2, 1.3"))
    current_state = forms.CharField(label=_("Đánh giá hiện trạng"), required=False, widget=_area(), max_length=CELL)
    weakness = forms.CharField(label=_("Điểm hạn chế"), widget=_area(), max_length=CELL,
                               error_messages={"required": _("Cần ghi điểm hạn chế của vấn đề.")})
    cause = forms.CharField(label=_("Nguyên nhân của hạn chế"), required=False, widget=_area(), max_length=CELL)

    def __init__(self, *args, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"] = _choice(_("Tiêu chuẩn"), standards)


class Plan57ActionForm(_RevisionForm):
    """A row of table V."""

    issue = forms.TypedChoiceField(label=_("Vấn đề ưu tiên"), required=False)
    content = forms.CharField(label=_("Nội dung cải tiến"), widget=_area(), max_length=CELL,
                              error_messages={"required": _("Cần ghi nội dung cải tiến.")})
    objective = forms.CharField(label=_("Mục tiêu cải tiến"), required=False, widget=_area(), max_length=CELL)
    activities = forms.CharField(label=_("Hoạt động/giải pháp"), required=False, widget=_area(3), max_length=CELL)
    indicator = forms.CharField(label=_("Chỉ số đánh giá kết quả (kết quả mong đợi)"), required=False, widget=_area(),
                                max_length=CELL)
    start_on = BoundedDateField(label=_("Bắt đầu"), required=False, widget=DateInput())
    end_on = BoundedDateField(label=_("Kết thúc"), required=False, widget=DateInput())
    responsible = forms.CharField(label=_("Đơn vị/cá nhân phụ trách"), required=False, max_length=255)
    coordination = forms.CharField(label=_("Đơn vị/cá nhân phối hợp"), required=False, max_length=255)
    resources = forms.CharField(label=_("Nguồn lực bảo đảm"), required=False, widget=_area(), max_length=CELL)
    expected_evidence = forms.CharField(label=_("Thông tin, dữ liệu hoặc minh chứng dự kiến"), required=False,
                                        widget=_area(), max_length=CELL)

    def __init__(self, *args, issues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"] = _choice(_("Vấn đề ưu tiên"), issues)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class Plan57StatusForm(_RevisionForm):
    """Mức độ thực hiện of one action (monitoring)."""

    status = forms.ChoiceField(label=_("Mức độ thực hiện"), choices=Plan57Action.Status.choices, required=False,
                               error_messages={"invalid_choice": _("Mức độ thực hiện không hợp lệ.")})


class Plan57CheckForm(_RevisionForm):
    """A row of table VI at one monitoring point."""

    action = forms.TypedChoiceField(label=_("Nội dung cải tiến được theo dõi"), required=False)
    content = forms.CharField(label=_("Nội dung theo dõi"), required=False, widget=_area(), max_length=CELL)
    result = forms.CharField(label=_("Kết quả thực hiện (tiến độ)"), required=False, widget=_area(), max_length=CELL)
    evidence = forms.CharField(label=_("Minh chứng"), required=False, widget=_area(1), max_length=CELL)
    adjustment = forms.CharField(label=_("Điều chỉnh (nếu có)"), required=False, widget=_area(), max_length=CELL)
    assessor = forms.CharField(label=_("Người đánh giá"), required=False, max_length=150)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"] = _choice(_("Nội dung cải tiến được theo dõi"), actions)

    def clean(self):
        data = super().clean()
        if not (data.get("content") or "").strip() and not (data.get("result") or "").strip():
            raise forms.ValidationError(_("Cần ghi nội dung theo dõi hoặc kết quả thực hiện."))
        return data


class Plan57PointForm(forms.Form):
    """The monitoring point a new row of table VI belongs to."""

    point = forms.ChoiceField(label=_("Thời điểm"), choices=Plan57Check.Point.choices,
                              error_messages={"invalid_choice": _("Thời điểm theo dõi không hợp lệ."),
                                              "required": _("Thời điểm theo dõi không hợp lệ.")})


class Plan57DeleteForm(_RevisionForm):
    """Remove a row: the revision it had on the page."""


class Plan57MoveForm(forms.Form):
    """Move a row up or down."""

    step = forms.TypedChoiceField(choices=[("-1", _("Lên")), ("1", _("Xuống"))], coerce=int,
                                  error_messages={"invalid_choice": _("Lựa chọn không hợp lệ; hãy tải lại trang."),
                                                  "required": _("Lựa chọn không hợp lệ; hãy tải lại trang.")})
