"""The one dispatcher: an event -> its recipients -> each person's channels.

``dispatch(event)`` runs in the caller's transaction (a domain action's, or its own):

1. **Recipients.** ``event.recipients()``, inactive accounts left out; a person whose notice
   key (``event.dedupe_key``) has a ``NotificationReceipt`` already is skipped, so a retried
   task or a second run tells nobody twice.
2. **In-app.** One ``Notification`` row per person, or, when the person has an *unread* row of
   the same kind about the same subject whose latest notice came less than ``BUNDLE_WINDOW``
   ago, that row again: its count goes up, its title becomes the bundled one ("40 new
   replies in “Fluids”"), its body and time the latest. A row the person has read is never
   reused: what comes after reading is news.
3. **E-mail.** By the person's preference for the kind (``kinds``; default per kind):
   ``immediate`` queues one e-mail in the outbox (plain text and HTML, the one-click
   unsubscribe headers; ``mail``) for a *new* row only: a notice bundled into an unread row
   sends no second e-mail about the same thing. ``daily`` and ``weekly`` send nothing now:
   the digest (to come) reads the person's rows of those kinds since its last run, so the
   choice is stored and the rows are the digest's source; ``off`` sends nothing.
4. **Real time.** After commit, each person told gets their new unread count on their own
   socket (``cadenza.realtime.personal_frames``), counted afresh then (one query for all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.notifications.actions.outbox import queue_email
from cadenza.notifications.events import NotificationEvent, UnreadCount
from cadenza.notifications.mail import notification_email
from cadenza.notifications.models import EmailChoice, Notification, NotificationReceipt
from cadenza.notifications.selectors import email_choices_for, unread_counts
from cadenza.realtime.personal_frames import send_to_person

BUNDLE_WINDOW = timedelta(minutes=15)
"""Notices of one kind about one thing join an unread row whose latest came this recently."""


@dataclass(frozen=True, slots=True)
class Dispatched:
    """What one dispatch did: rows made, notices bundled into rows, e-mails queued, people
    skipped because they had been told already."""

    created: int = 0
    bundled: int = 0
    emailed: int = 0
    skipped: int = 0

    @property
    def told(self) -> int:
        return self.created + self.bundled


@transaction.atomic
def dispatch(event: NotificationEvent, *, now: datetime | None = None) -> Dispatched:
    """Tell everyone ``event`` concerns, each by the channels they chose (module docstring)."""
    now = now or timezone.now()
    people = {p.pk: p for p in event.recipients() if p.is_active}
    keys = {pk: event.dedupe_key(person)[:200] for pk, person in people.items()}
    told_before = set(
        NotificationReceipt.objects.filter(dedupe_key__in=keys.values()).values_list(
            "dedupe_key", flat=True
        )
    )
    due = {pk: person for pk, person in people.items() if keys[pk] not in told_before}
    open_rows = _open_rows(event, user_ids=due, now=now)
    email = email_choices_for(kind=event.kind, user_ids=due)
    created = bundled = emailed = 0
    told: list[int] = []
    for pk, person in due.items():
        notice = event.notice_for(person)
        row = open_rows.get(pk)
        try:
            with transaction.atomic():
                if row is None:
                    row = Notification.objects.create(
                        org=event.org,
                        user=person,
                        dedupe_key=keys[pk],
                        kind=event.kind.key,
                        subject=event.subject[:120],
                        title=notice.title[:200],
                        body=notice.body,
                        url=notice.path[:500],
                        created_at=now,
                        latest_at=now,
                    )
                    new = True
                else:
                    row.count += 1
                    row.title = notice.title_for(row.count)[:200]
                    row.body = notice.body
                    row.url = notice.path[:500]
                    row.latest_at = now
                    row.save(update_fields=["count", "title", "body", "url", "latest_at"])
                    new = False
                NotificationReceipt.objects.create(dedupe_key=keys[pk], notification=row)
        except IntegrityError:
            # Told at this moment by a concurrent run of the same event: nothing more to do.
            continue
        told.append(pk)
        if not new:
            bundled += 1
            continue
        created += 1
        if email[pk] == EmailChoice.IMMEDIATE:
            message = notification_email(person=person, kind=event.kind, notice=notice)
            queue_email(
                to=person.email,
                subject=message.subject,
                body=message.text,
                html_body=message.html,
                headers=message.headers,
                dedupe_key=keys[pk],
                org=event.org,
            )
            emailed += 1
    if told:
        transaction.on_commit(lambda: push_unread_counts(told), robust=True)
    return Dispatched(
        created=created, bundled=bundled, emailed=emailed, skipped=len(people) - len(due)
    )


def _open_rows(
    event: NotificationEvent, *, user_ids: dict[int, User], now: datetime
) -> dict[int, Notification]:
    """Each person's unread row of this kind about this subject, still inside the window."""
    rows = Notification.objects.filter(
        user_id__in=list(user_ids),
        kind=event.kind.key,
        subject=event.subject[:120],
        org=event.org,
        read_at__isnull=True,
        latest_at__gte=now - BUNDLE_WINDOW,
    ).order_by("latest_at", "id")
    return {row.user_id: row for row in rows}  # the newest wins


def push_unread_counts(user_ids: list[int]) -> None:
    """Send each person their unread count, counted now (after commit): one query."""
    for user_id, count in unread_counts(user_ids).items():
        send_to_person(user_id, UnreadCount(count=count).encode())
