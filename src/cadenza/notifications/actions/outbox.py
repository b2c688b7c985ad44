"""E-mail through the transactional outbox (DESIGN section 4, "Nothing lost").

``queue_email`` writes a row in the caller's transaction, with the message's one
``Message-ID``; delivery is scheduled only after that transaction commits, so a rolled-back
change sends nothing. ``deliver_email`` first claims the row and counts the attempt in its own
committed transaction (a worker that dies while sending has still used an attempt, so a message
that kills workers gives up after ``MAX_ATTEMPTS``), then sends, then marks it sent. A claim
keeps other workers off the row for ``SENDING_CLAIM``; a worker that dies between the mail
server's answer and the last commit leaves the row unsent, and once its claim runs out the
next run sends it again with the same ``Message-ID``, which receiving mail systems use to drop
the copy. That window is inherent to any outbox; the stable id makes it harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import urlize

from cadenza.notifications.models import OutboxEmail
from cadenza.orgs.models import Organization

logger = logging.getLogger(__name__)

# After this many failed attempts a message stays in the outbox for a person to look at.
MAX_ATTEMPTS = 10

SENDING_CLAIM = timedelta(minutes=5)
"""How long a worker keeps a row to itself while sending (well above ``EMAIL_TIMEOUT``)."""


def new_message_id() -> str:
    """A fresh ``Message-ID`` in the sender's own domain (the one in ``DEFAULT_FROM_EMAIL``)."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


@transaction.atomic
def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    org: Organization | None = None,
    html_body: str = "",
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Queue one e-mail; it is sent after the caller's transaction commits.

    Queuing a ``dedupe_key`` that is already in the outbox returns the existing row and
    schedules nothing: a retried action never sends its message twice. ``html_body`` is the
    HTML part; without one, the plain text is sent as HTML too (``html_part``), so every
    e-mail has both. ``headers`` are sent with it on every attempt (``List-Unsubscribe``).
    """
    return _queue(
        to=to,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        org_id=org.pk if org is not None else None,
        html_body=html_body,
        headers=headers or {},
    )


@transaction.atomic
def queue_email_by_org_id(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    org_id: int | None = None,
    html_body: str = "",
) -> None:
    """``queue_email`` for the layers below notifications, which know only the org's id
    (registered as their outbox in ``NotificationsConfig.ready``)."""
    _queue(
        to=to,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        org_id=org_id,
        html_body=html_body,
        headers={},
    )


def _queue(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    org_id: int | None,
    html_body: str,
    headers: dict[str, str],
) -> OutboxEmail:
    existing = OutboxEmail.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    email = OutboxEmail(
        to=to,
        subject=subject[:300],
        body=body,
        html_body=html_body,
        dedupe_key=dedupe_key,
        org_id=org_id,
        message_id=new_message_id(),
        headers=headers,
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        return OutboxEmail.objects.get(dedupe_key=dedupe_key)
    email_id = email.pk
    transaction.on_commit(lambda: _schedule_delivery(email_id), robust=True)
    return email


_deliver_soon: Callable[[int], None] | None = None


def schedule_deliveries_with(deliver_soon: Callable[[int], None] | None) -> None:
    """How a committed e-mail is handed to the task queue: ``deliver_email_task``, registered
    by ``NotificationsConfig.ready``. Tasks call actions, so actions do not import tasks."""
    global _deliver_soon
    _deliver_soon = deliver_soon


def _schedule_delivery(email_id: int) -> None:
    # Without a task queue the row waits for the next ``retry_pending_emails`` run.
    if _deliver_soon is not None:
        _deliver_soon(email_id)


def html_part(text: str) -> str:
    """The HTML part of a message written only as plain text: the same words, escaped,
    paragraphs kept, addresses made links."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        lines = [urlize(line, nofollow=True, autoescape=True) for line in block.split("\n")]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return (
        '<!doctype html>\n<html><body style="font-family: sans-serif; line-height: 1.5">\n'
        + "\n".join(paragraphs)
        + "\n</body></html>\n"
    )


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What one delivery run did, for logs and tests."""

    sent: int
    failed: int


def deliver_email(*, email_id: int) -> bool | None:
    """Send one queued e-mail unless it was sent already.

    Returns True when sent now, False when sending failed (``attempts`` and ``last_error``
    record why; a later run retries), None when there was nothing to do (already sent, given
    up, or being sent by another worker right now). Not to be called inside a transaction:
    the attempt must be committed before the message leaves.
    """
    email = _claim(email_id)
    if email is None:
        return None
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={
            **email.headers,
            "Message-ID": email.message_id,
            "X-Cadenza-Message": email.dedupe_key,
        },
    )
    message.attach_alternative(email.html_body or html_part(email.body), "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as error:
        logger.warning("E-mail %s to %s failed: %s", email.pk, email.to, error)
        OutboxEmail.objects.filter(pk=email.pk).update(
            last_error=f"{type(error).__name__}: {error}"[:2000], sending_until=None
        )
        return False
    OutboxEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), last_error="", sending_until=None
    )
    return True


@transaction.atomic
def _claim(email_id: int) -> OutboxEmail | None:
    """Take the row for one attempt and count it, committed before anything is sent: one
    conditional update, so of two workers only one gets it (on SQLite as on PostgreSQL). A row
    queued before ``message_id`` existed gets its one id now."""
    now = timezone.now()
    claimed = (
        OutboxEmail.objects.filter(pk=email_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lte=now))
        .update(attempts=F("attempts") + 1, sending_until=now + SENDING_CLAIM)
    )
    if not claimed:
        return None
    email = OutboxEmail.objects.get(pk=email_id)
    if not email.message_id:
        email.message_id = new_message_id()
        email.save(update_fields=["message_id"])
    return email


def deliver_pending_emails(*, limit: int = 500) -> DeliveryOutcome:
    """Send every e-mail still waiting (oldest first), each in its own transaction, so one
    bad address never holds back or rolls back the others."""
    pending = list(
        OutboxEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = failed = 0
    for email_id in pending:
        outcome = deliver_email(email_id=email_id)
        if outcome is True:
            sent += 1
        elif outcome is False:
            failed += 1
    return DeliveryOutcome(sent=sent, failed=failed)
