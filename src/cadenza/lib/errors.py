"""The one exception a person is meant to read: a refusal by a rule of the domain.

Why a class of our own: the API used to answer every ``ValueError`` with a 400 and its
message, so a bug (``int("abc")`` deep in a selector, a library's internal check) reached the
client as "bad input", with a message written for developers, and was never logged. Now only
``DomainError`` (and input that does not parse) is the caller's fault; anything else is ours:
a 500 with a generic body, and a traceback in the log.
"""

from __future__ import annotations


class DomainError(Exception):
    """A write or a request refused by a rule of the domain, with a message for the person.

    Actions raise it (or a subclass naming the rule: ``AttemptNotAllowed``, ``RoomRefusal``
    ...) for a refusal the person should see and can act on: "This attempt is already
    submitted", "The chat is locked". The message is shown as written, on the API (400, see
    ``cadenza.api.errors``), on the pages (a form or page error) and in the room's error
    frame, so write it for the learner or the instructor, never for a developer. Raise it
    before anything is written, or inside the action's transaction, so that a refusal
    changes nothing.

    Deliberately **not** a ``ValueError``: Python and every library raise ``ValueError`` for
    their own reasons (a bad ``int()``, a naive datetime, a malformed UUID), and an
    ``except ValueError`` that turns them into a message for the person hides bugs and shows
    developer text to users. Keeping the two apart means a handler catching ``DomainError``
    catches only what was written for people; everything else stays a bug and is logged.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
