"""Forms of the organization admin pages: people and settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from cadenza.accounts.time_zones import time_zone_choices
from cadenza.orgs.email_lists import parse_email_list
from cadenza.orgs.logos import check_logo
from cadenza.orgs.models import Organization, Role


class InvitePeopleForm(forms.Form):
    """A pasted list of addresses and the role they all get."""

    emails = forms.CharField(
        label="E-mail addresses",
        help_text="One per line (commas and semicolons work too).",
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.LEARNER)

    def clean_emails(self) -> list[str]:
        parsed = parse_email_list(self.cleaned_data["emails"])
        if parsed.invalid:
            listed = ", ".join(f"“{piece}”" for piece in parsed.invalid)
            raise forms.ValidationError(
                f"These are not e-mail addresses: {listed}. Correct them and try again; "
                "nobody was added."
            )
        if not parsed.valid:
            raise forms.ValidationError("Enter at least one e-mail address.")
        return parsed.valid


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class OrgSettingsForm(forms.Form):
    """An organization's name, default zone, branding and joining rule."""

    name = forms.CharField(label="Name", max_length=200)
    time_zone = forms.ChoiceField(
        label="Default time zone",
        help_text="Used for new people's accounts and for times that belong to no one person.",
    )
    accent_colour = forms.RegexField(
        label="Accent colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        error_messages={"invalid": "Use a colour like #1f6feb (a # and six hex digits)."},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG, JPEG or WebP, at most 1 MB.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    allow_self_join = forms.BooleanField(
        label="Anyone with an account may join as a learner", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = time_zone_choices()

    @classmethod
    def initial_for(cls, org: Organization) -> dict[str, Any]:
        return {
            "name": org.name,
            "time_zone": org.time_zone,
            "accent_colour": org.accent_colour,
            "allow_self_join": org.allow_self_join,
        }

    def clean_logo(self) -> UploadedFile[bytes] | None:
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        assert isinstance(logo, UploadedFile)
        check_logo(logo)
        return logo
