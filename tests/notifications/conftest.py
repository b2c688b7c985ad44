"""An organization with people, and a test kind of event that bundles (a burst of replies to
one thread, as the forums will send), dispatched through the real dispatcher."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from cadenza.accounts.models import User
from cadenza.notifications.events import Notice, NotificationEvent
from cadenza.notifications.kinds import NotificationKind, register_kind
from cadenza.orgs.models import Organization, Role
from tests.factories import make_org, make_user

REPLIES = register_kind(NotificationKind(key="tests.reply", label="Replies in threads you follow"))


@dataclass(frozen=True, eq=False)
class ReplyPosted(NotificationEvent):
    """Someone replied in a thread; its followers are told."""

    kind = REPLIES
    thread: int
    reply: int
    followers: tuple[User, ...]
    org_of: Organization

    @property
    def org(self) -> Organization:
        return self.org_of

    @property
    def subject(self) -> str:
        return f"tests.thread:{self.thread}"

    def recipients(self) -> Iterable[User]:
        return self.followers

    def notice_for(self, person: User) -> Notice:
        return Notice(
            title=f"New reply in thread {self.thread}",
            body=f"Reply {self.reply}.",
            path=f"/o/{self.org_of.slug}/threads/{self.thread}/",
            bundled_title=f"{{count}} new replies in thread {self.thread}",
        )

    def dedupe_key(self, person: User) -> str:
        return f"tests:reply:{self.reply}:{person.pk}"


@dataclass
class Team:
    org: Organization
    other_org: Organization
    ana: User
    """A learner in Paris."""
    ben: User
    """An instructor in Tokyo."""
    cleo: User
    """A learner of the other organization only."""


@pytest.fixture
def team(db: None) -> Team:
    org = make_org(slug="harbour", name="Harbour Hospital")
    other = make_org(slug="summit", name="Summit Clinic")
    return Team(
        org=org,
        other_org=other,
        ana=make_user(org, email="ana@example.org", display_name="Ana", time_zone="Europe/Paris"),
        ben=make_user(
            org,
            Role.INSTRUCTOR,
            email="ben@example.org",
            display_name="Ben",
            time_zone="Asia/Tokyo",
        ),
        cleo=make_user(other, email="cleo@example.org", display_name="Cleo"),
    )


def reply(team: Team, n: int, *followers: User, thread: int = 1) -> ReplyPosted:
    return ReplyPosted(
        thread=thread,
        reply=n,
        followers=followers or (team.ana, team.ben),
        org_of=team.org,
    )
