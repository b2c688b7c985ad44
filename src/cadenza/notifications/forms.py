"""The preferences form: one choice of e-mail per registered kind of notification."""

from __future__ import annotations

from typing import Any

from django import forms

from cadenza.notifications.models import EmailChoice
from cadenza.notifications.selectors import KindPreference


class EmailPreferencesForm(forms.Form):
    """Fields are the kinds' keys; initial values the person's choices (or the defaults)."""

    def __init__(self, *args: Any, preferences: list[KindPreference], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for preference in preferences:
            self.fields[preference.kind.key] = forms.ChoiceField(
                label=preference.kind.label,
                choices=EmailChoice.choices,
                initial=preference.email.value,
                widget=forms.RadioSelect,
            )
