"""A person's private calendar feed: a secret link, made on request and revocable.

The token is the only credential of the feed URL (calendar clients cannot sign in), so it is
long and random (``secrets.token_urlsafe(32)``: 256 bits) and a revoked one answers 404.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.live.models import CalendarFeed
from cadenza.live.schedule.selectors import active_calendar_feed


def _lock(user: User) -> None:
    """Two requests at once for the same person queue up, so one active feed results."""
    User.objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's active feed, made now if they have none."""
    _lock(user)
    feed = active_calendar_feed(user)
    if feed is not None:
        return feed
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def revoke_calendar_feed(*, user: User, replace: bool = True) -> CalendarFeed | None:
    """Revoke the person's feed link (calendars using it get 404 from now on) and, with
    ``replace``, make a new one, which is returned."""
    _lock(user)
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not replace:
        return None
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
