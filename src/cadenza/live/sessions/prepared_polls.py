"""The polls hosts prepared for a session, as the session's edit page (schedule) and the
poll pages (room) list them: prepared polls can still be changed or removed; opened and closed
ones are shown for the record."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.live.models import LiveSession, Poll, PollStatus


@dataclass(frozen=True, slots=True)
class PreparedPoll:
    poll_id: int
    prompt: str
    options: tuple[str, ...]
    correct: tuple[str, ...]
    multiple: bool
    anonymous: bool
    status: str

    @property
    def editable(self) -> bool:
        """A poll can be changed or removed until it is opened."""
        return self.status == PollStatus.PREPARED


def session_polls(session: LiveSession) -> list[PreparedPoll]:
    """Every poll of ``session`` in the order the hosts made them (two queries)."""
    polls = Poll.objects.filter(session=session).order_by("position").prefetch_related("options")
    return [
        PreparedPoll(
            poll_id=poll.pk,
            prompt=poll.prompt,
            options=tuple(option.text for option in poll.options.all()),
            correct=tuple(option.text for option in poll.options.all() if option.is_correct),
            multiple=poll.multiple,
            anonymous=poll.anonymous,
            status=poll.status,
        )
        for poll in polls
    ]
