"""Reading the list of e-mail addresses an admin pastes into the people page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cadenza.accounts.actions import normalise_email

_SEPARATORS = re.compile(r"[\n\r\t,;]+")


@dataclass(frozen=True, slots=True)
class EmailList:
    """The addresses read from a pasted list: ``valid`` normalised and without repeats, in the
    order given; ``invalid`` the pieces that are not addresses, exactly as typed."""

    valid: list[str]
    invalid: list[str]


def parse_email_list(text: str) -> EmailList:
    """Split on new lines, tabs, commas and semicolons (what spreadsheets and mail clients
    paste); surrounding spaces and blank pieces are ignored."""
    valid: list[str] = []
    invalid: list[str] = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip()
        if not piece:
            continue
        email = normalise_email(piece)
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(piece)
            continue
        if email not in valid:
            valid.append(email)
    return EmailList(valid=valid, invalid=invalid)
