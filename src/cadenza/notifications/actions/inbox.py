"""Reading notices: one, or all of a person's. Each pushes the new unread count to the
person's sockets after commit (another tab's bell follows)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.notifications.actions.dispatch import push_unread_counts
from cadenza.notifications.models import Notification
from cadenza.notifications.selectors import visible_notifications


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the person's notices read (``notification`` comes from
    ``access_notification``); reading it again changes nothing."""
    if notification.user_id != user.pk:
        raise ValueError("A person marks only their own notices read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: push_unread_counts([user.pk]), robust=True)
    return notification


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notice the person sees read; answers how many."""
    marked = Notification.objects.filter(
        pk__in=visible_notifications(user.pk).filter(read_at__isnull=True).values("pk")
    ).update(read_at=timezone.now())
    if marked:
        transaction.on_commit(lambda: push_unread_counts([user.pk]), robust=True)
    return marked
