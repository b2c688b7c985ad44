"""The transactional outbox: queued in the caller's transaction, sent once, after commit."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from cadenza.accounts import outgoing_email
from cadenza.notifications.actions import (
    MAX_ATTEMPTS,
    deliver_email,
    deliver_pending_emails,
    queue_email,
)
from cadenza.notifications.models import OutboxEmail
from cadenza.notifications.tasks import retry_pending_emails
from tests.factories import make_org

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db


def _queue(key: str = "welcome:1") -> OutboxEmail:
    return queue_email(to="ana@example.org", subject="Welcome", body="Hello Ana", dedupe_key=key)


def test_queued_email_is_sent_after_commit(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
        assert mailoutbox == []
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.org"]
    assert mailoutbox[0].subject == "Welcome"
    assert mailoutbox[0].body == "Hello Ana"
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1


def test_queued_email_is_sent_once_even_if_delivery_runs_twice(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert deliver_pending_emails().sent == 0
    assert deliver_email(email_id=email.pk) is None
    retry_pending_emails()
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_rolled_back_transaction_queues_nothing(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            _queue()
            raise RuntimeError("the change that asked for the e-mail failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        change_that_fails()
    assert callbacks == []
    assert OutboxEmail.objects.count() == 0
    deliver_pending_emails()
    assert mailoutbox == []


def test_queuing_the_same_dedupe_key_twice_sends_one_email(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue("reminder:7")
        second = _queue("reminder:7")
    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_failed_send_is_recorded_and_retried_later(
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise SMTPException("mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            email = _queue()
    email.refresh_from_db()
    assert (email.sent_at, email.attempts, email.last_error) == (
        None,
        1,
        "SMTPException: mail server is down",
    )
    assert mailoutbox == []

    outcome = deliver_pending_emails()

    assert (outcome.sent, outcome.failed) == (1, 0)
    email.refresh_from_db()
    assert email.sent_at is not None
    assert (email.attempts, email.last_error) == (2, "")
    assert len(mailoutbox) == 1


def test_email_that_failed_too_often_is_left_for_a_person(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    OutboxEmail.objects.create(
        to="ana@example.org", subject="S", body="B", dedupe_key="k", attempts=MAX_ATTEMPTS
    )
    assert deliver_pending_emails().sent == 0
    assert mailoutbox == []


def test_html_body_is_sent_as_an_alternative(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to="ana@example.org",
            subject="Digest",
            body="plain",
            html_body="<p>rich</p>",
            dedupe_key="digest:1",
        )
    message = mailoutbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives == [("<p>rich</p>", "text/html")]


def test_lower_layers_queue_through_the_registered_outbox(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    org = make_org()
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_email.queue_email(
            to="bo@example.org", subject="Hi", body="Body", dedupe_key="port:1", org_id=org.pk
        )
    email = OutboxEmail.objects.get()
    assert (email.org_id, email.to, email.sent_at is not None) == (org.pk, "bo@example.org", True)
    assert len(mailoutbox) == 1


def _message_id(message: mail.EmailMessage) -> str:
    return str(message.message()["Message-ID"])


def test_every_attempt_at_one_email_carries_its_one_message_id(
    mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed after the mail server took the message (before ``sent_at`` was
    committed) leaves the row unsent; once its claim runs out the message goes again with the
    same Message-ID, so the receiver's mail system drops the copy."""
    email = _queue()
    send = EmailMultiAlternatives.send

    def sent_then_worker_dies(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        send(self, fail_silently=fail_silently)
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", sent_then_worker_dies)
        with pytest.raises(SystemExit):
            deliver_email(email_id=email.pk)
    assert deliver_pending_emails().sent == 0  # the dead worker's claim still holds
    OutboxEmail.objects.filter(pk=email.pk).update(sending_until=timezone.now())

    assert deliver_pending_emails().sent == 1

    email.refresh_from_db()
    assert len(mailoutbox) == 2
    assert email.message_id.startswith("<")
    assert email.message_id.endswith("@localhost>")
    assert [_message_id(m) for m in mailoutbox] == [email.message_id, email.message_id]
    assert (email.attempts, email.sent_at is not None) == (2, True)


def test_two_queued_emails_have_different_message_ids(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _queue("welcome:1"), _queue("welcome:2")
    assert first.message_id != second.message_id
    assert [_message_id(m) for m in mailoutbox] == [first.message_id, second.message_id]


@pytest.mark.django_db(transaction=True)
def test_the_attempt_is_committed_before_sending_even_when_the_send_never_returns(
    mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message that kills the worker while it is sent still uses up its attempts, so it
    cannot be retried (and perhaps delivered) for ever."""
    email = OutboxEmail.objects.create(  # queued earlier; its delivery task was lost
        to="ana@example.org", subject="Welcome", body="Hello", dedupe_key="welcome:1"
    )
    attempts_seen_while_sending: list[int] = []

    def worker_dies(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        attempts_seen_while_sending.append(OutboxEmail.objects.get(pk=email.pk).attempts)
        raise SystemExit("worker killed")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", worker_dies)
        with pytest.raises(SystemExit):
            deliver_email(email_id=email.pk)

    email.refresh_from_db()
    assert attempts_seen_while_sending == [1]
    assert (email.attempts, email.sent_at) == (1, None)
    assert email.sending_until is not None
    assert mailoutbox == []


def test_a_failed_send_releases_the_claim_for_the_next_run(
    mailoutbox: list[mail.EmailMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    email = _queue()

    def refuse(self: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise SMTPException("mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", refuse)
        assert deliver_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.attempts, email.sending_until) == (1, None)
    assert deliver_email(email_id=email.pk) is True
    assert [_message_id(m) for m in mailoutbox] == [email.message_id]
