"""The e-mail outbox, read-only: what was sent, what waits, and why a delivery failed."""

from __future__ import annotations

from django.contrib import admin

from cadenza.lib.admin import ReadOnlyModelAdmin
from cadenza.notifications.models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "to", "subject", "sent_at", "attempts")
    list_filter = ("sent_at",)
    search_fields = ("to", "subject")
