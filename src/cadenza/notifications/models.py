"""Outgoing e-mail through a transactional outbox: none lost, none sent twice."""

from __future__ import annotations

from django.db import models

from cadenza.orgs.models import Organization


class OutboxEmail(models.Model):
    """An e-mail queued in the same transaction as the change that asks for it.

    A worker sends it after commit and marks it sent; ``dedupe_key`` makes queuing the same
    message twice a no-op, and ``sent_at`` makes a second delivery run skip it.

    ``message_id`` is chosen once, when the row is queued, and sent as the ``Message-ID``
    header on every attempt: if a worker dies after the mail server took the message but
    before ``sent_at`` was committed, the next attempt sends the same message again and the
    receiving mail systems drop the copy. ``sending_until`` is a worker's claim on the row
    while it sends (taken in the transaction that counts the attempt, before sending); when
    the worker dies the claim runs out and another run retries.
    """

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    sending_until = models.DateTimeField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    """More headers sent with the message (``List-Unsubscribe`` and ``List-Unsubscribe-Post``
    for a notification), kept with the row so every attempt sends the same message."""

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to}"


class EmailChoice(models.TextChoices):
    """When a person wants e-mail about one kind of notification."""

    IMMEDIATE = "immediate", "At once"
    DAILY = "daily", "In a daily digest"
    WEEKLY = "weekly", "In a weekly digest"
    OFF = "off", "Never"


class Notification(models.Model):
    """An in-app notice for one person, shown until read (the notification centre, the bell).

    Notices of one ``kind`` about one ``subject`` (a session, a thread) that arrive while the
    row is unread and within the dispatcher's bundling window become this one row: ``count``
    says how many, ``latest_at`` when the last came (``cadenza.notifications.dispatch``).
    ``dedupe_key`` is the first notice's key; every notice's key is a ``NotificationReceipt``.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60, default="", blank=True)
    subject = models.CharField(max_length=120, default="", blank=True)
    count = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    latest_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "kind", "subject", "read_at"], name="notification_bundle"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationReceipt(models.Model):
    """One notice (an event for one person) was dispatched: its key, so a retried task or a
    second run dispatches nothing twice, even when the notice was bundled into an older row."""

    dedupe_key = models.CharField(max_length=200, unique=True)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="receipts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.dedupe_key


class NotificationPreference(models.Model):
    """A person's choice of e-mail for one kind of notification (a person's own, not an
    organization's: the same person in two organizations chooses once). No row: the kind's
    default (``cadenza.notifications.kinds``)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    email = models.CharField(max_length=10, choices=EmailChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.email}"
