"""The replay page's form for a host to attach a session's recording.

It only parses what was sent (a file, an address, a length); the rules (a host, after the
session, exactly one of file and address, the video checks, https:// only) are the action's
(``actions.replay.attach_recording``), whose ``ValidationError`` by field is put back on this
form, so the page and any other caller refuse the same things with the same words.
"""

from __future__ import annotations

from django import forms


class RecordingForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Recording file",
        help_text="MP4, WebM or Ogg video.",
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,video/ogg"}),
    )
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        label="Or the recording's address",
        help_text="An https:// link to the video on another site.",
    )
    duration_seconds = forms.FloatField(
        required=False,
        min_value=0,
        label="Length in seconds",
        help_text="Optional: replay watching is measured against it.",
    )
