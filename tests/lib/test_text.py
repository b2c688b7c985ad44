"""The control-character rule of cadenza.lib.text, for the API's schemas, the room's commands
and the forms alike."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import BaseModel, Field, ValidationError

from cadenza.lib.text import (
    LINE_PATTERN,
    TEXT_PATTERN,
    CleanLine,
    CleanText,
    find_control_character,
    refuse_control_characters,
    refuse_line_breaks,
    strip_control_characters,
)

REFUSED = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]


class Note(BaseModel):
    title: CleanLine = Field(max_length=10)
    body: CleanText
    label: CleanLine | None = None


def test_every_refused_character_is_found_and_tab_and_line_breaks_are_kept_in_text() -> None:
    assert [find_control_character(f"ab{c}") for c in REFUSED] == [2] * len(REFUSED)
    assert find_control_character("line\none\r\n\ttab · é ✓ \u2028") is None
    assert find_control_character("a\nb", allow_line_breaks=False) == 1
    assert find_control_character("a\tb", allow_line_breaks=False) is None


def test_strip_removes_exactly_the_refused_characters() -> None:
    assert strip_control_characters("a\x00b\x1b[31mc\x7f\x85\x9fd\n\te") == "ab[31mcd\n\te"
    assert strip_control_characters("a\r\nb", allow_line_breaks=False) == "ab"


def test_a_schema_refuses_nul_and_escape_with_a_message_naming_the_character() -> None:
    with pytest.raises(ValidationError) as refused:
        Note(title="Week\x1b1", body="Sepsis\x00", label="ok\x9f")
    assert [(e["loc"], e["type"], e["msg"]) for e in refused.value.errors()] == [
        (
            ("title",),
            "control_character",
            "This text contains an invisible control character (U+001B ESC) at character 5; "
            "remove it and try again.",
        ),
        (
            ("body",),
            "control_character",
            "This text contains an invisible control character (U+0000 NUL) at character 7; "
            "remove it and try again.",
        ),
        (
            ("label",),
            "control_character",
            "This text contains an invisible control character (U+009F) at character 3; "
            "remove it and try again.",
        ),
    ]


def test_a_line_refuses_a_line_break_and_text_keeps_it() -> None:
    with pytest.raises(ValidationError) as refused:
        Note(title="Two\nlines", body="Two\nlines")
    assert [(e["loc"], e["msg"]) for e in refused.value.errors()] == [
        (
            ("title",),
            "This text contains a line break (U+000A) at character 4; remove it and try again.",
        )
    ]
    assert Note(title="One\tline", body="Two\r\nlines").body == "Two\r\nlines"


def test_lengths_keep_pydantics_own_message_and_other_types_are_refused_as_before() -> None:
    with pytest.raises(ValidationError) as refused:
        Note(title="x" * 11, body=3)  # type: ignore[arg-type]
    assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [
        (("title",), "string_too_long"),
        (("body",), "string_type"),
    ]


def test_the_json_schema_says_what_is_allowed() -> None:
    properties = Note.model_json_schema()["properties"]
    assert properties["title"] == {
        "maxLength": 10,
        "pattern": LINE_PATTERN,
        "title": "Title",
        "type": "string",
    }
    assert properties["body"] == {"pattern": TEXT_PATTERN, "title": "Body", "type": "string"}
    assert properties["label"]["anyOf"][0] == {"pattern": LINE_PATTERN, "type": "string"}


@pytest.mark.parametrize(("pattern", "breaks"), [(TEXT_PATTERN, True), (LINE_PATTERN, False)])
def test_the_schema_pattern_allows_exactly_what_the_validator_allows(
    pattern: str, breaks: bool
) -> None:
    compiled = re.compile(pattern)
    for code in [*range(0x00, 0x250), *range(0x2000, 0x2030), 0x3000, 0xFEFF]:
        text = f"a{chr(code)}b"
        clean = find_control_character(text, allow_line_breaks=breaks) is None
        assert bool(compiled.match(text)) == clean, hex(code)


def test_the_django_validator_refuses_with_a_form_message_and_leaves_nul_to_django() -> None:
    with pytest.raises(DjangoValidationError) as refused:
        refuse_control_characters("Bell\x07")
    assert refused.value.messages == [
        "This text contains an invisible control character (U+0007 BEL) at character 5; "
        "remove it and try again."
    ]
    assert refused.value.code == "control_character"
    refuse_control_characters("Two\r\nlines\tand a tab")
    refuse_control_characters(None)
    refuse_control_characters("NUL\x00")  # Django's ProhibitNullCharactersValidator says it


# Every character Python's str.splitlines() breaks a line at: what a one-line text refuses.
LINE_BREAKS = ["\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_a_line_refuses_every_line_break_and_text_keeps_the_visible_ones() -> None:
    assert [c for c in map(chr, range(0x3000)) if len(f"a{c}b".splitlines()) > 1] == LINE_BREAKS
    for character in LINE_BREAKS:
        with pytest.raises(ValidationError) as refused:
            Note(title=f"Two{character}lines", body="ok")
        assert [(e["loc"], e["msg"]) for e in refused.value.errors()] == [
            (
                ("title",),
                f"This text contains a line break (U+{ord(character):04X}) at character 4; "
                "remove it and try again.",
            )
        ]
    kept = "Two\nlines\r\nor\u2028three\u2029"  # the rest of the line breaks are control characters
    assert Note(title="ok", body=kept).body == kept


def test_the_django_line_validator_refuses_line_breaks_and_control_characters() -> None:
    with pytest.raises(DjangoValidationError) as refused:
        refuse_line_breaks("Week\u20281")
    assert refused.value.messages == [
        "This text contains a line break (U+2028) at character 5; remove it and try again."
    ]
    with pytest.raises(DjangoValidationError):
        refuse_line_breaks("Bell\x07")
    refuse_line_breaks("One line\tand a tab")
    refuse_line_breaks(None)
    refuse_line_breaks("NUL\x00")  # Django's ProhibitNullCharactersValidator says it
