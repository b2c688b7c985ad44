"""The attendance correction form, shared by the attendance page and the REST API: the rules
of a correction (a person from the table, at most the session's length) live here once."""

from __future__ import annotations

from django import forms

from cadenza.live.attendance.actions.attendance import MAX_NOTE_LENGTH
from cadenza.live.attendance.selectors.attendance import AttendanceRow


class CorrectionForm(forms.Form):
    """A host's correction of one person's attendance (the person picked from the table)."""

    person = forms.TypedChoiceField(label="Person", coerce=int)
    attended = forms.BooleanField(label="Attended", required=False)
    minutes_present = forms.IntegerField(
        label="Minutes present (leave empty to keep the counted time)",
        required=False,
        min_value=0,
    )
    note = forms.CharField(label="Note (why)", max_length=MAX_NOTE_LENGTH, required=False)

    def __init__(self, *args: object, rows: list[AttendanceRow], length: int, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.length_minutes = length // 60
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [(row.user.pk, f"{row.user.name} ({row.user.email})") for row in rows]

    def clean_minutes_present(self) -> int | None:
        minutes: int | None = self.cleaned_data.get("minutes_present")
        if minutes is not None and minutes > self.length_minutes:
            raise forms.ValidationError(
                f"The session lasts {self.length_minutes} minutes: at most that many."
            )
        return minutes
