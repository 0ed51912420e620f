from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class EmailPreferencesForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("Không gửi email cho các loại thông báo sau (vẫn hiện trong ứng dụng)"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
