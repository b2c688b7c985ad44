"""Outgoing e-mail through a transactional outbox: none lost, none sent twice."""

from __future__ import annotations

from django.db import models

from cadenza.orgs.models import Organization


class OutboxEmail(models.Model):
    """An e-mail queued in the same transaction as the change that asks for it.

    A worker sends it after commit and marks it sent; ``dedupe_key`` makes queuing the same
    message twice a no-op, and ``sent_at`` makes a second delivery run skip it.
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

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to}"
