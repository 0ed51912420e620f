"""Forms of the improvement-plan tracking: they validate and do nothing else (services write)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence import codes
from kiemdinh import dates

from ..models import ImprovementAction

DATE = dates.DateInput()
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _plausible(day: datetime.date | None) -> None:
    """A plan's dates lie in this century: 0001-01-01 or 9999-12-31 is a slip of the keyboard."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("Ngày phải trong khoảng từ năm 2000 đến năm 2100."))


class TrackingDateField(dates.DateField):
    widget = DATE
    default_validators = [_plausible]
MAX_CODES = 30
_CODE_SEPARATORS = re.compile(r"[,;\s]+")

Status = ImprovementAction.Status


class StatusChangeForm(forms.Form):
    """One status change; the reason matters for "dropped", the day for "done"."""

    status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do không thực hiện"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    done_on = TrackingDateField(label=_("Ngày hoàn thành"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.DROPPED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi lý do không thực hiện biện pháp."))
        return data


class TrackingForm(forms.Form):
    """Who carries the action out, when, with what, for which result."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    responsible = forms.CharField(label=_("Người, bộ phận thực hiện"), max_length=255, required=False)
    start_on = TrackingDateField(label=_("Từ ngày"), required=False)
    due_on = TrackingDateField(label=_("Đến ngày (hạn hoàn thành)"), required=False)
    resources = forms.CharField(label=_("Nguồn lực, kinh phí"), required=False, max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    expected_result = forms.CharField(label=_("Kết quả dự kiến"), required=False, max_length=4000,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        start, due = data.get("start_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", _("Ngày hoàn thành dự kiến không được trước ngày bắt đầu."))
        return data


def initial_tracking(action: ImprovementAction) -> dict:
    return {"revision": action.revision, "responsible": action.responsible, "start_on": action.start_on,
            "due_on": action.due_on, "resources": action.resources, "expected_result": action.expected_result}


class ProgressNoteForm(forms.Form):
    """A dated note; evidence is cited by its codes, as in the report's texts."""

    date = TrackingDateField(label=_("Ngày"))
    text = forms.CharField(label=_("Nội dung thực hiện, kết quả"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    evidence_codes = forms.CharField(
        label=_("Minh chứng (mã)"), required=False, max_length=1000,
        help_text=_("Mã minh chứng trong thư viện của trường, cách nhau bởi dấu chấm phẩy, ví dụ: H1-1.1-01; H1-1.1-02"),
    )

    def clean_evidence_codes(self) -> list[str]:
        raw = self.cleaned_data.get("evidence_codes") or ""
        found = [codes.normalise_code(part) for part in _CODE_SEPARATORS.split(raw.replace("[", " ").replace("]", " "))]
        found = list(dict.fromkeys(code for code in found if code))
        if len(found) > MAX_CODES:
            raise forms.ValidationError(_("Tối đa %(n)s minh chứng cho một lần ghi tiến độ.") % {"n": MAX_CODES})
        return found


FILTER_STATUSES = [("", _("Tất cả")), ("open", _("Chưa xong (chưa thực hiện, đang thực hiện)")), *Status.choices]
