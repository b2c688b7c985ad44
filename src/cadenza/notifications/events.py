"""What the dispatcher is handed, and the typed frame the bell receives.

A domain app describes one happening as a ``NotificationEvent`` subclass (a frozen dataclass
of its own, for example ``cadenza.live.schedule.notices.SessionNotice``): who is told
(``recipients``), what each of them reads (``notice_for``, in their own zone and words), the
key that makes telling them twice a no-op (``dedupe_key``) and the thing it is about
(``subject``, for bundling). ``cadenza.notifications.dispatch.dispatch`` does the rest.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from cadenza.accounts.models import User
from cadenza.notifications.kinds import NotificationKind
from cadenza.orgs.models import Organization


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    """What one person is told. ``path`` is a site path (``/o/...``): the page shows it as
    it is, e-mails make it absolute (``cadenza.lib.site_address``) under
    ``email_link_label`` (empty: no link in the e-mail). ``bundled_title`` is the
    title of a row that several notices became, with ``{count}`` where their number goes
    ("{count} new replies in “Fluids”"); empty: the title and the count in brackets."""

    title: str
    body: str
    path: str = ""
    email_link_label: str = "Open"
    bundled_title: str = ""

    def title_for(self, count: int) -> str:
        if count <= 1:
            return self.title
        if self.bundled_title:
            return self.bundled_title.replace("{count}", str(count))
        return f"{self.title} ({count})"


class NotificationEvent(ABC):
    """One happening that people are told about. Subclasses set ``kind`` and are typed
    dataclasses; nothing else is accepted by ``dispatch``."""

    kind: ClassVar[NotificationKind]

    @property
    @abstractmethod
    def org(self) -> Organization:
        """The organization the notices belong to (every row is tenant-owned)."""

    @property
    @abstractmethod
    def subject(self) -> str:
        """The thing it is about, for bundling: ``"live.session:12"``, ``"forums.thread:7"``."""

    @abstractmethod
    def recipients(self) -> Iterable[User]:
        """Who is told (the dispatcher skips inactive accounts)."""

    @abstractmethod
    def notice_for(self, person: User) -> Notice:
        """What ``person`` reads."""

    @abstractmethod
    def dedupe_key(self, person: User) -> str:
        """Unique per event and person (at most 200 characters): a retry is a no-op."""


@dataclass(frozen=True, slots=True)
class UnreadCount:
    """The bell's frame on the person's socket: how many notices are unread now."""

    count: int
    type: Literal["notifications.unread"] = "notifications.unread"

    def encode(self) -> str:
        return json.dumps({"type": self.type, "count": self.count}, separators=(",", ":"))
