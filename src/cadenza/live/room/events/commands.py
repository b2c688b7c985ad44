"""What a client may write in the room: one declared model per command, parsed once.

The socket and the API read the same frame (``{"type": "chat.post", "client_event_id":
"...", "body": "..."}``) through ``parse_command``: a discriminated union on ``type`` whose
models forbid undeclared fields and take JSON's own types only (strict: ``"5"`` is not a
number, ``true`` is not 1). A frame that does not fit is a ``CommandError`` with one sentence
for the person (the socket's error frame, the API's ``detail``) and the messages by field (the
API's ``errors``). Whether the room then allows the write (chat locked, poll closed, the
person's role) is the action's business, not the parser's.

Each model names the rate-limit kind it counts against (``limit``): the writes a learner can
repeat quickly (chat, questions, votes, hands) are limited per person; a host's commands are
not (``cadenza.live.room.limits``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import ErrorDetails

from cadenza.lib.errors import DomainError
from cadenza.lib.text import CleanLine, CleanText

MAX_CLIENT_EVENT_ID = 64
"""A client's id for its write (a UUID is 36 characters)."""

MAX_ID = 2**63 - 1
"""The largest row id either database stores: a larger number names nothing."""

RoomText = CleanText
"""Text a person writes in the room (chat, questions, answers, prompts): no control
characters (``cadenza.lib.text``), line breaks allowed."""

RoomLine = CleanLine
"""A one-line label (a poll's option, a breakout room's name): no line breaks either."""

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
ClientEventId = Annotated[StrictStr, Field(min_length=1, max_length=MAX_CLIENT_EVENT_ID)]

WriteKind = Literal["chat", "questions", "votes", "hands"]
"""The writes limited per person (``cadenza.live.room.limits``)."""


class CommandError(DomainError):
    """A frame that is not a command: unknown type, missing, undeclared or mistyped field.

    ``str()`` is the sentence shown to the person; ``errors`` the messages by field (for the
    API's 422 answer, which the room's endpoint gives instead of a domain refusal's 400)."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors if errors is not None else {"__all__": [detail]}


class Command(BaseModel):
    """Every write carries the client's id for it: a retry with the same id is a no-op."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    limit: ClassVar[WriteKind | None] = None

    client_event_id: ClientEventId


# Chat


class ChatPost(Command):
    """A message to the room, privately to one person (``to``), or (hosts) to one breakout
    room (``breakout_id``)."""

    limit: ClassVar[WriteKind | None] = "chat"
    type: Literal["chat.post"]
    body: RoomText
    to: Id | None = None
    breakout_id: Id | None = None


class ChatDelete(Command):
    type: Literal["chat.delete"]
    message_id: Id


class ChatLock(Command):
    type: Literal["chat.lock"]


class ChatUnlock(Command):
    type: Literal["chat.unlock"]


# Questions


class QuestionAsk(Command):
    limit: ClassVar[WriteKind | None] = "questions"
    type: Literal["question.ask"]
    body: RoomText
    anonymous: StrictBool = False


class QuestionVote(Command):
    limit: ClassVar[WriteKind | None] = "votes"
    type: Literal["question.vote"]
    question_id: Id


class QuestionAnswer(Command):
    """``live``: answered aloud (the answer text may then be empty)."""

    type: Literal["question.answer"]
    question_id: Id
    answer: RoomText = ""
    live: StrictBool = False


class QuestionDismiss(Command):
    type: Literal["question.dismiss"]
    question_id: Id


# Polls


class PollCreate(Command):
    """``correct``: the indexes (from 0) of the right options, which makes the poll a quiz;
    ``open``: open it at once instead of preparing it."""

    type: Literal["poll.create"]
    prompt: RoomText
    options: list[RoomLine]
    multiple: StrictBool = False
    anonymous: StrictBool = False
    correct: list[Annotated[StrictInt, Field(ge=0)]] = []
    open: StrictBool = False


class PollEdit(Command):
    """Change a prepared poll (refused once it has been opened)."""

    type: Literal["poll.edit"]
    poll_id: Id
    prompt: RoomText
    options: list[RoomLine]
    multiple: StrictBool = False
    anonymous: StrictBool = False
    correct: list[Annotated[StrictInt, Field(ge=0)]] = []


class PollRemove(Command):
    """Remove a prepared poll (refused once it has been opened)."""

    type: Literal["poll.remove"]
    poll_id: Id


class PollOpen(Command):
    type: Literal["poll.open"]
    poll_id: Id


class PollClose(Command):
    type: Literal["poll.close"]
    poll_id: Id


class PollVote(Command):
    limit: ClassVar[WriteKind | None] = "votes"
    type: Literal["poll.vote"]
    poll_id: Id
    option_ids: list[Id]


# Hands


class HandRaise(Command):
    limit: ClassVar[WriteKind | None] = "hands"
    type: Literal["hand.raise"]


class HandLower(Command):
    """My own hand, or (hosts) the hand of ``user_id``."""

    limit: ClassVar[WriteKind | None] = "hands"
    type: Literal["hand.lower"]
    user_id: Id | None = None


class HandCall(Command):
    """The hand ``hand_id``, or the next in the queue."""

    type: Literal["hand.call"]
    hand_id: Id | None = None


# Breakouts


class BreakoutRoomPlan(BaseModel):
    """One breakout room made by hand: its name and the user ids of its members."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: RoomLine
    members: list[Id]


class BreakoutsStart(Command):
    """Rooms made by hand (``rooms``), a random split of the people present (``count``
    rooms), or neither: the rooms planned before the session. ``minutes``: a countdown."""

    type: Literal["breakouts.start"]
    rooms: list[BreakoutRoomPlan] = []
    count: StrictInt | None = None
    minutes: StrictInt | None = None


class BreakoutsMessage(Command):
    type: Literal["breakouts.message"]
    body: RoomText


class BreakoutsCountdown(Command):
    type: Literal["breakouts.countdown"]
    seconds: StrictInt


class BreakoutsClose(Command):
    type: Literal["breakouts.close"]


# Moderation and the room's state


class ParticipantMute(Command):
    type: Literal["participant.mute"]
    user_id: Id


class ParticipantUnmute(Command):
    type: Literal["participant.unmute"]
    user_id: Id


class ParticipantRemove(Command):
    type: Literal["participant.remove"]
    user_id: Id


class MicrophoneMute(Command):
    """Turn a person's microphone off (hosts; never on: only the person does that)."""

    type: Literal["microphone.mute"]
    user_id: Id


class ScreenSharingAllow(Command):
    """Let learners share their screen in the built-in video."""

    type: Literal["screen_sharing.allow"]


class ScreenSharingForbid(Command):
    """Stop learners sharing their screen (a share in progress stops)."""

    type: Literal["screen_sharing.forbid"]


class RoomOpen(Command):
    type: Literal["room.open"]


class RoomClose(Command):
    type: Literal["room.close"]


RoomCommand = Annotated[
    ChatPost
    | ChatDelete
    | ChatLock
    | ChatUnlock
    | QuestionAsk
    | QuestionVote
    | QuestionAnswer
    | QuestionDismiss
    | PollCreate
    | PollEdit
    | PollRemove
    | PollOpen
    | PollClose
    | PollVote
    | HandRaise
    | HandLower
    | HandCall
    | BreakoutsStart
    | BreakoutsMessage
    | BreakoutsCountdown
    | BreakoutsClose
    | ParticipantMute
    | ParticipantUnmute
    | ParticipantRemove
    | MicrophoneMute
    | ScreenSharingAllow
    | ScreenSharingForbid
    | RoomOpen
    | RoomClose,
    Field(discriminator="type"),
]
"""Any write a client may send in the room."""

COMMANDS: TypeAdapter[RoomCommand] = TypeAdapter(RoomCommand)

NOT_A_FRAME = "Send a JSON object with a type."
CLIENT_EVENT_ID_NEEDED = (
    f'A write needs a "client_event_id" of 1 to {MAX_CLIENT_EVENT_ID} characters.'
)


def parse_command(data: Mapping[str, Any]) -> RoomCommand:
    """The command in a decoded JSON frame, or ``CommandError``.

    One sentence, in this order (the first that applies): not an object with a textual
    type, an unknown type, no usable ``client_event_id``, undeclared fields (all named),
    then the first mistyped or missing field."""
    if not isinstance(data, Mapping) or not isinstance(data.get("type"), str):
        raise CommandError(NOT_A_FRAME, {"type": [NOT_A_FRAME]})
    try:
        return COMMANDS.validate_python(dict(data))
    except ValidationError as invalid:
        raise _command_error(data, invalid.errors()) from None


def _command_error(data: Mapping[str, Any], errors: list[ErrorDetails]) -> CommandError:
    if any(error["type"] == "union_tag_invalid" for error in errors):
        detail = f"Unknown frame type {data['type']!r}."
        return CommandError(detail, {"type": [detail]})
    by_field: dict[str, list[str]] = {}
    for error in errors:
        field, message = _describe(error)
        by_field.setdefault(field, []).append(message)
    if "client_event_id" in by_field:
        return CommandError(CLIENT_EVENT_ID_NEEDED, {"client_event_id": [CLIENT_EVENT_ID_NEEDED]})
    extra = sorted(field for field, messages in by_field.items() if "Unexpected field." in messages)
    if extra:
        detail = f"Unexpected fields: {', '.join(extra)}."
        return CommandError(detail, {field: ["Unexpected field."] for field in extra})
    field, messages = next(iter(by_field.items()))
    return CommandError(messages[0], by_field)


_EXPECTED = {
    "int_type": "must be a whole number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
}


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """The field as the client wrote it (``rooms.0.name``) and a sentence about it."""
    location = [str(part) for part in error["loc"][1:]]  # [0] is the command's type
    field = ".".join(location) or "__all__"
    kind = error["type"]
    context = error.get("ctx", {})
    if kind == "extra_forbidden":
        return field, "Unexpected field."
    if kind == "missing":
        return field, f'"{field}" is required.'
    if kind in _EXPECTED:
        return field, f'"{field}" {_EXPECTED[kind]}.'
    if kind == "greater_than_equal":
        return field, f'"{field}" must be at least {context.get("ge")}.'
    if kind == "less_than_equal":
        return field, f'"{field}" must be at most {context.get("le")}.'
    message = str(error["msg"])
    return field, f'"{field}": {message}' + ("" if message.endswith(".") else ".")


def command_schema() -> dict[str, Any]:
    """The union's JSON schema with its definitions written in place (an OpenAPI operation
    cannot carry ``$defs``): the API's documentation of the room's write frame."""
    schema = COMMANDS.json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return inline(definitions[reference.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items() if key != "mapping"}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    inlined = inline(schema)
    assert isinstance(inlined, dict)
    return inlined
