"""Forms of the course builder: they parse and check input; the actions decide and write.

Each unit form knows its kind's fields and hands them to ``add_unit`` / ``edit_unit`` through
``kind_fields()``. Uploads are checked here (size, extension and content, see ``uploads``) so
a rejected file is a form error before anything is written.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from cadenza.courses.models import MAX_CAPTION_BYTES, Unit, UnitKind
from cadenza.courses.uploads import CheckedUpload, check_resource, check_video
from cadenza.lib.errors import DomainError
from cadenza.lib.language_tags import InvalidLanguageTag, canonical_language_tag
from cadenza.lib.webvtt import InvalidWebVTT, WebVTTTooLarge


class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        label="Web address",
        help_text="Letters, digits and hyphens; made from the title when left empty.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Markdown. Shown in the catalog.",
    )
    open_enrolment = forms.BooleanField(
        required=False,
        label="Open enrolment",
        help_text="Learners of the organization may enrol themselves.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("slug") and data.get("title"):
            data["slug"] = slugify(data["title"])[:80].strip("-")
            if not data["slug"]:
                self.add_error("slug", "Choose a web address (letters, digits and hyphens).")
        return data


class ModuleForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Markdown."
    )


class UnitForm(forms.Form):
    """The fields every unit has. Subclasses add their kind's own fields."""

    kind: ClassVar[UnitKind]
    body_label: ClassVar[str] = "Notes"
    body_required: ClassVar[bool] = False

    title = forms.CharField(max_length=200)
    estimated_minutes = forms.IntegerField(
        min_value=1, max_value=1000, initial=5, label="Estimated minutes"
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text="Markdown."
    )

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(unit)
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["body"].label = self.body_label
        self.fields["body"].required = self.body_required

    def kind_fields(self) -> dict[str, object]:
        return {}


class ReadingForm(UnitForm):
    kind = UnitKind.READING
    body_label = "Reading"
    body_required = True


class VideoForm(UnitForm):
    kind = UnitKind.VIDEO

    video_file = forms.FileField(
        required=False,
        label="Video file",
        help_text="MP4, WebM or Ogg.",
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/ogg"}),
    )
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Or a video address",
        help_text="An https:// link to the video on another site.",
    )
    video_duration_seconds = forms.FloatField(
        required=False, min_value=0, label="Length in seconds", help_text="Optional."
    )

    def clean_video_file(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("video_file")
        return check_video(upload) if upload else None

    def clean_video_url(self) -> str:
        url: str = self.cleaned_data.get("video_url") or ""
        if url and not url.lower().startswith("https://"):
            raise ValidationError("Use an https:// address.")
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("video_file"))
        has_url = bool(data.get("video_url"))
        if has_file and has_url:
            raise ValidationError("Upload a file or give an address, not both.")
        already = self.unit is not None and bool(self.unit.video_file or self.unit.video_url)
        if not (has_file or has_url or already or self.errors):
            raise ValidationError("Upload a video file or give its address.")
        return data

    def kind_fields(self) -> dict[str, object]:
        fields: dict[str, object] = {
            "video_duration_seconds": self.cleaned_data["video_duration_seconds"]
        }
        checked: CheckedUpload | None = self.cleaned_data["video_file"]
        if checked is not None:
            fields.update(video_file=checked.file, video_url="")
        elif self.cleaned_data["video_url"]:
            fields.update(video_file=None, video_url=self.cleaned_data["video_url"])
        return fields


class ResourceForm(UnitForm):
    kind = UnitKind.RESOURCE

    resource_file = forms.FileField(
        required=False,
        label="File",
        help_text="PDF, Word, Excel, PowerPoint, CSV, text, PNG, JPEG or zip.",
    )

    def clean_resource_file(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("resource_file")
        if upload:
            return check_resource(upload)
        if self.unit is None or not self.unit.resource_file:
            raise ValidationError("Choose a file to upload.")
        return None

    def kind_fields(self) -> dict[str, object]:
        checked: CheckedUpload | None = self.cleaned_data["resource_file"]
        if checked is None:
            return {}
        return {
            "resource_file": checked.file,
            "resource_name": checked.display_name,
            "resource_content_type": checked.content_type,
            "resource_size": checked.size,
        }


class KnowledgeCheckForm(UnitForm):
    kind = UnitKind.KNOWLEDGE_CHECK
    body_label = "Instructions"

    pass_mark_percent = forms.IntegerField(
        min_value=0, max_value=100, initial=70, label="Pass mark (%)"
    )
    max_attempts = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label="Attempts allowed",
        help_text="Leave empty for unlimited attempts.",
    )

    def kind_fields(self) -> dict[str, object]:
        return {
            "pass_mark_percent": self.cleaned_data["pass_mark_percent"],
            "max_attempts": self.cleaned_data["max_attempts"],
        }


UNIT_FORMS: dict[str, type[UnitForm]] = {
    UnitKind.VIDEO: VideoForm,
    UnitKind.READING: ReadingForm,
    UnitKind.RESOURCE: ResourceForm,
    UnitKind.KNOWLEDGE_CHECK: KnowledgeCheckForm,
}


def initial_for(unit: Unit) -> dict[str, Any]:
    """A unit's current values as a form's initial data (files are never pre-filled)."""
    return {
        "title": unit.title,
        "body": unit.body,
        "estimated_minutes": unit.estimated_minutes,
        "video_url": unit.video_url,
        "video_duration_seconds": unit.video_duration_seconds,
        "pass_mark_percent": unit.pass_mark_percent,
        "max_attempts": unit.max_attempts,
    }


_EMAIL_SEPARATORS = re.compile(r"[\n\r,;]+")


def split_email_list(text: str) -> list[str]:
    """The non-empty entries of a pasted list: one per line, or separated by commas."""
    return [part.strip() for part in _EMAIL_SEPARATORS.split(text) if part.strip()]


class EnrolByEmailsForm(forms.Form):
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        label="E-mail addresses",
        help_text="One per line, or separated by commas. People without an account get one.",
    )

    def clean_emails(self) -> list[str]:
        entries = split_email_list(self.cleaned_data["emails"])
        invalid = []
        for entry in entries:
            try:
                validate_email(entry)
            except ValidationError:
                invalid.append(entry)
        if invalid:
            raise ValidationError(
                [f"“{entry}” is not a valid e-mail address." for entry in invalid]
            )
        if not entries:
            raise ValidationError("Enter at least one e-mail address.")
        return entries


class CaptionTrackForm(forms.Form):
    """A caption file for a video (a unit's, or a live session's recording). The form reads
    the file (at most one byte over the limit, so the action can say it is too large); the
    action (``caption_actions.checked_captions``) checks its content and refuses a malformed
    file with its line, which ``refuse`` puts on the field it concerns."""

    language = forms.CharField(
        max_length=35,
        label="Language",
        help_text="A language tag: en, fr, es, pt-BR … One file per language; a second file "
        "in the same language replaces the first.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    label = forms.CharField(
        max_length=80, label="Name", help_text="What learners choose it by: English, Français …"
    )
    file = forms.FileField(
        label="WebVTT file",
        help_text="A .vtt caption file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )

    def clean_language(self) -> str:
        try:
            return canonical_language_tag(self.cleaned_data["language"])
        except InvalidLanguageTag as malformed:
            raise ValidationError(str(malformed)) from malformed

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".vtt"):
            raise ValidationError("Choose a WebVTT file (its name ends in .vtt).")
        upload.seek(0)
        content: bytes = upload.read(MAX_CAPTION_BYTES + 1)
        return content

    def refuse(self, refused: DomainError) -> None:
        """Show an action's refusal on the field it is about (the file's line, the tag)."""
        if isinstance(refused, InvalidWebVTT | WebVTTTooLarge):
            self.add_error("file", str(refused))
        elif isinstance(refused, InvalidLanguageTag):
            self.add_error("language", str(refused))
        else:
            self.add_error(None, str(refused))
