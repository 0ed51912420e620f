"""Form widgets shared by the apps."""

from __future__ import annotations

from django import forms


class TitledSelect(forms.Select):
    """A select whose options carry their whole label as a tooltip as well.

    Criterion names run to 250 characters; each option shows the whole name (never cut), and the
    tooltip shows it again where the closed select is narrower than the name.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if label:
            option["attrs"]["title"] = str(label)
        return option
