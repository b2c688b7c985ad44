"""What a request body may be: a declared JSON object, and nothing the server would refuse.

Every endpoint's body is a ``Body`` (or a ``PatchBody``): a JSON object with the declared
fields only (an undeclared one is a 422), no null where null means nothing, and each field's
rule (lengths, ranges, choices, "not blank") written in the schema, so that the OpenAPI
document says exactly what the server accepts and a client (or schemathesis) can rely on it.
What the schema cannot say (a rule across fields or about the state of things: a reading
needs its text, a session's hosts must be staff, the attempt is already submitted) is the
form's 422 or the action's 400.

Why not ninja's ``Schema`` as it is: it reads its input through attribute access (to build
answers from Django models), so a body of ``"AAA"`` became a course titled ``"Aaa"`` (the
string's ``.title()`` method) and ``[null, null]`` a patch that changes nothing, or a
submitted attempt. A ``Body`` takes JSON objects only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any, get_args

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from cadenza.lib.text import (
    LINE_CHARACTER,
    LINE_PATTERN,
    TEXT_CHARACTER,
    CleanLine,
    CleanText,
)


class Body(Schema):
    """A request body: a JSON object with the declared fields only."""

    model_config = ConfigDict(extra="forbid", from_attributes=False)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """Replaces ninja's validator of the same name (which wraps the input in an attribute
        reader): the input is validated as sent, so anything but an object is refused."""
        return handler(values)


class PatchBody(Body):
    """A change: only the fields sent change. A field left out keeps its value; a field sent
    as null is refused unless null means something there (``capacity: null``: no limit).

    Fields are declared ``name: Type = Field(None, ...)``: not required, never null in the
    schema. Read what was sent with ``changes()``, never the attributes of fields left out.
    """

    def changes(self) -> dict[str, Any]:
        """The fields sent, by name, as parsed."""
        return self.model_dump(exclude_unset=True)


UNION_TAGS: set[str] = set()
"""The ``kind`` values of the bodies registered with ``kinds_of`` (pydantic puts the tag in
an error's location; ``cadenza.api.errors`` leaves it out, to name the field as sent)."""


def kinds_of(*bodies: type[Body]) -> None:
    """Register the bodies of a union discriminated by ``kind`` (a ``Literal`` field), as in
    ``Annotated[ReadingIn | VideoIn, Field(discriminator="kind")]``: each kind declares its
    own fields and required ones, and the schema says so (``oneOf``)."""
    for body in bodies:
        UNION_TAGS.update(get_args(body.model_fields["kind"].annotation))


def unset(**constraints: Any) -> Any:
    """A ``PatchBody`` field's default: left out, it is not in ``changes()``; its type (not
    optional) keeps null out of the schema. ``constraints`` are ``Field``'s."""
    return Field(None, **constraints)


# A one-line text with at least one character that is not a space, in the same alphabet as
# ``CleanLine`` (ECMA-262, as JSON schema patterns are written); ``\\s`` covers U+2028/2029.
_VISIBLE = "[^\\s\\u0000-\\u001f\\u007f-\\u009f]"
NAME_PATTERN = f"^{LINE_CHARACTER}*{_VISIBLE}{LINE_CHARACTER}*$"
PROSE_PATTERN = f"^{TEXT_CHARACTER}*{_VISIBLE}{TEXT_CHARACTER}*$"


@dataclass(frozen=True)
class _NotBlank:
    """Refuses text made of spaces only (the pages' forms strip it and find it empty)."""

    pattern: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler.resolve_ref_schema(handler(schema))
        json_schema["pattern"] = self.pattern
        return json_schema

    @staticmethod
    def _check(value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank", "This field is required.")
        return value


Name = Annotated[CleanLine, _NotBlank(NAME_PATTERN)]
"""A required one-line text: a title, a choice, an answer (give ``max_length`` with Field)."""

Prose = Annotated[CleanText, _NotBlank(PROSE_PATTERN)]
"""A required long text: a question's prompt, a reading, an answer to a question."""


def _email_address(value: str) -> str:
    if len(value) > 254:
        raise PydanticCustomError("email", "An e-mail address has at most 254 characters.")
    try:
        validate_email(value.strip())
    except ValidationError:
        raise PydanticCustomError(
            "email", "{address} is not a valid e-mail address.", {"address": repr(value)}
        ) from None
    return value


EmailAddress = Annotated[
    CleanLine,
    AfterValidator(_email_address),
    WithJsonSchema(
        {"type": "string", "format": "email", "maxLength": 254, "pattern": LINE_PATTERN}
    ),
]
"""An e-mail address as Django's ``validate_email`` (the pages' rule) accepts it, on one line
(spaces around it are allowed, as on the pages, where each line of the list is trimmed)."""


def _https_address(value: str) -> str:
    if len(value) > 200:
        raise PydanticCustomError("url", "An address has at most 200 characters.")
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        raise PydanticCustomError("url", "Not a valid https:// address.") from None
    return value


HttpsAddress = Annotated[
    str,
    AfterValidator(_https_address),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https://", "maxLength": 200}),
]
"""An https:// address of at most 200 characters (a ``URLField``), as the pages check it."""

_DECIMAL_TEXT = re.compile(r"^[+-]?[0-9]{1,14}(\.[0-9]{0,6})?$")
_LARGEST = Decimal("1e14")
_PLACES = Decimal("0.000001")


def _decimal(value: object) -> Decimal:
    """A number as a question stores it: a JSON number (kept to 6 places) or a text such as
    "9.81" (at most 14 digits before the point, 6 after)."""
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        return Decimal(value)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and math.isfinite(value) and abs(value) < _LARGEST:  # type: ignore[arg-type]
        return Decimal(repr(value)).quantize(_PLACES, rounding=ROUND_HALF_EVEN)
    raise PydanticCustomError(
        "decimal",
        "Give a number (a JSON number, or text such as 9.81) below 10^14 in size, with at "
        "most 6 decimal places.",
    )


StoredNumber = Annotated[
    Decimal,
    PlainValidator(_decimal),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": -1e14, "exclusiveMaximum": 1e14},
                {"type": "string", "pattern": _DECIMAL_TEXT.pattern},
            ]
        }
    ),
]
"""A number kept as a question's answers are (``DecimalField(max_digits=20,
decimal_places=6)``)."""

MAX_ADDRESSES = 500
"""Addresses in one request to enrol or invite people (a larger list: several requests)."""

__all__ = [
    "MAX_ADDRESSES",
    "Body",
    "CleanLine",
    "CleanText",
    "EmailAddress",
    "HttpsAddress",
    "Name",
    "PatchBody",
    "Prose",
    "StoredNumber",
    "kinds_of",
    "unset",
]
