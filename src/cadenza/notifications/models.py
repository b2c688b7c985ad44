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

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to}"


class Notification(models.Model):
    """An in-app notice for one person (a reminder, "starting now"), shown until read.

    ``dedupe_key`` makes sending the same notice twice (a retried task) a no-op.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
