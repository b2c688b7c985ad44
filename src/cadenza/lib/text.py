"""Text a person sends us holds no control characters: one rule for forms, the API and the room.

Why: a chat message with a NUL character was stored by SQLite, and PostgreSQL refuses NUL in
text columns (a 500 and a lost message). The other invisible control characters (ESC, BEL,
backspace, the C1 range) are never typed on purpose; they hide text from the person reading it,
drive terminals that print logs, and break exports.

The rule (one for every path): **refuse, never silently change.** Text that contains a control
character is refused with a clear message naming the character and its position, and nothing
is stored. What the person sees afterwards is exactly what they typed, or an error telling them
what to remove. Stripping was rejected as the rule because it changes a person's words without
telling them (and a stripped title may collide with another or become empty after the check
for "required" ran).

A control character here is C0 (U+0000-U+001F) except tab, line feed and carriage return, DEL
(U+007F) and C1 (U+0080-U+009F). Single-line text (titles, names, labels, a form's one-line
inputs: ``CleanLine``, ``refuse_line_breaks``) also refuses every line break: line feed and
carriage return, and the ones that break a line where the text is shown or exported though
no one-line input produces them (the characters ``str.splitlines`` splits on: vertical tab,
form feed, U+001C-U+001E, NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029). Long
text (readings, descriptions, chat: ``CleanText``) keeps line breaks. The rule refuses them
rather than replacing them by spaces, for the reason above: a browser's one-line input never
sends one, so only a crafted request or a paste of invisible characters meets the refusal, and
it is told which character and where.

The pieces:

- ``find_control_character(text, allow_line_breaks=True)``: the first offending index or None.
- ``refusal_message(text, index)``: the message shown to the person.
- ``strip_control_characters(text)``: for text that did not come from a person typing it (an
  imported file, a provider's answer), where refusing the whole is unhelpful.
- ``CleanText`` / ``CleanLine``: pydantic ``Annotated[str, ...]`` types for API schemas and
  room commands; they refuse with the error type ``control_character`` and put a ``pattern``
  into the JSON schema so that OpenAPI clients (and schemathesis) know what is allowed.
  Give lengths as the field's default, ``title: CleanLine = Field(max_length=200)``, to keep
  pydantic's own "String should have at most 200 characters" (inside a further ``Annotated``
  the length check gets a generic message). ``CleanLine | None`` works as usual.
- ``refuse_control_characters``: a Django validator; ``cadenza.web`` adds it to every form
  ``CharField`` (see ``cadenza.web.apps``), so pages refuse with a form error.
- ``refuse_line_breaks``: the same for one-line text; ``cadenza.web`` applies it to every form
  text field whose widget is not a ``Textarea``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# The characters refused in long text; one-line text also refuses the line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_LINE_BREAK = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# The same sets as JSON-schema (ECMA-262) character classes of the allowed characters, and
# patterns matching the allowed strings.
TEXT_CHARACTER = "[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]"
LINE_CHARACTER = "[^\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u2028\\u2029]"
TEXT_PATTERN = f"^{TEXT_CHARACTER}*$"
LINE_PATTERN = f"^{LINE_CHARACTER}*$"


def find_control_character(text: str, *, allow_line_breaks: bool = True) -> int | None:
    """The index of the first character the rule refuses in ``text``, or None if it is clean."""
    pattern = _CONTROL if allow_line_breaks else _CONTROL_OR_LINE_BREAK
    found = pattern.search(text)
    return None if found is None else found.start()


# The ones people meet (pasted from a terminal or an old document); Unicode names no control
# character, so the rest are shown by code point only.
_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BACKSPACE", "\x1b": "ESC", "\x7f": "DEL"}


def _describe(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character in _LINE_BREAKS:
        return f"a line break ({code})"
    name = _NAMES.get(character)
    return f"an invisible control character ({code}{' ' + name if name else ''})"


def refusal_message(text: str, index: int) -> str:
    """What the person is told: which character, where (counting from 1), and what to do."""
    return (
        f"This text contains {_describe(text[index])} at character {index + 1}; "
        "remove it and try again."
    )


def strip_control_characters(text: str, *, allow_line_breaks: bool = True) -> str:
    """``text`` without the characters the rule refuses (for text no person typed)."""
    pattern = _CONTROL if allow_line_breaks else _CONTROL_OR_LINE_BREAK
    return pattern.sub("", text)


def refuse_control_characters(value: object) -> None:
    """Django validator: a form error if ``value`` (a str) holds a control character.

    Non-string values (a JSONField's parsed value, None) pass: their text was checked, if at
    all, by the field that parsed them. Text with NUL is left to Django's own
    ``ProhibitNullCharactersValidator``, which every form ``CharField`` has, so the person
    reads one message, not two.
    """
    if not isinstance(value, str) or "\x00" in value:
        return
    index = find_control_character(value)
    if index is not None:
        raise ValidationError(refusal_message(value, index), code="control_character")


def refuse_line_breaks(value: object) -> None:
    """Django validator for one-line text: a form error if ``value`` (a str) holds a line
    break or a control character (NUL again left to Django's own validator)."""
    if not isinstance(value, str) or "\x00" in value:
        return
    index = find_control_character(value, allow_line_breaks=False)
    if index is not None:
        raise ValidationError(refusal_message(value, index), code="control_character")


@dataclass(frozen=True)
class _RefuseControlCharacters:
    """Annotated metadata: validate after ``str`` and document the rule in the JSON schema."""

    allow_line_breaks: bool

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Before the str schema, so that length constraints given after this type (``Field(
        # max_length=...)``) still apply to the str schema and keep their own messages.
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler.resolve_ref_schema(handler(schema))
        json_schema["pattern"] = TEXT_PATTERN if self.allow_line_breaks else LINE_PATTERN
        return json_schema

    def _check(self, value: object) -> object:
        if not isinstance(value, str):
            return value  # the str schema refuses what is not text
        index = find_control_character(value, allow_line_breaks=self.allow_line_breaks)
        if index is not None:
            raise PydanticCustomError("control_character", refusal_message(value, index))
        return value


CleanText = Annotated[str, _RefuseControlCharacters(allow_line_breaks=True)]
"""Long text (readings, descriptions, chat, questions): line breaks and tabs allowed."""

CleanLine = Annotated[str, _RefuseControlCharacters(allow_line_breaks=False)]
"""One-line text (titles, names, labels, choices): tabs allowed, line breaks refused."""
