"""The signed-in person's notifications and e-mail preferences: ``/me/notifications``.

The same selectors and actions as the notification centre: a notice of another person, or of
an organization the person has left, is a 404; the unread count is the bell's.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Literal, cast

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from cadenza.api.bodies import Body
from cadenza.api.common import ERRORS, signed_in
from cadenza.notifications.actions.inbox import mark_all_read, mark_read
from cadenza.notifications.actions.preferences import set_email_preference
from cadenza.notifications.kinds import kind_named
from cadenza.notifications.models import Notification
from cadenza.notifications.selectors import (
    access_notification,
    email_preferences,
    unread_count,
    visible_notifications,
)

router = Router(tags=["notifications"])

PER_PAGE = 25
EmailChoiceName = Literal["immediate", "daily", "weekly", "off"]


class NotificationOut(Schema):
    id: int
    org: str = Field(description="The organization's slug.")
    kind: str
    title: str
    body: str
    url: str = Field(description="The site path of the thing it is about (may be empty).")
    count: int = Field(description="How many notices this row bundles (1: one).")
    created_at: datetime
    latest_at: datetime | None
    read: bool


class NotificationPageOut(Schema):
    count: int
    unread: int
    page: int
    pages: int
    items: list[NotificationOut]


class UnreadOut(Schema):
    count: int


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    email: EmailChoiceName
    chosen: bool = Field(description="False: the kind's default holds.")


class PreferenceIn(Body):
    email: EmailChoiceName


class NotificationFilter(Schema):
    show: Literal["all", "unread"] = "all"
    page: int = Field(1, ge=1, le=1_000_000)


def _out(notice: Notification) -> NotificationOut:
    return NotificationOut(
        id=notice.pk,
        org=notice.org.slug,
        kind=notice.kind,
        title=notice.title,
        body=notice.body,
        url=notice.url,
        count=notice.count,
        created_at=notice.created_at,
        latest_at=notice.latest_at,
        read=notice.read_at is not None,
    )


@router.get("/me/notifications", response={200: NotificationPageOut, **ERRORS})
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilter]
) -> NotificationPageOut:
    """My notifications, the latest first, 25 a page (``show=unread``: the unread ones)."""
    user = signed_in(request)
    notices = visible_notifications(user.pk)
    if filters.show == "unread":
        notices = notices.filter(read_at__isnull=True)
    count = notices.count()
    start = (filters.page - 1) * PER_PAGE
    return NotificationPageOut(
        count=count,
        unread=unread_count(user.pk),
        page=filters.page,
        pages=max(1, math.ceil(count / PER_PAGE)),
        items=[_out(n) for n in notices[start : start + PER_PAGE]],
    )


@router.get("/me/notifications/unread-count", response={200: UnreadOut, **ERRORS})
def get_unread_count(request: HttpRequest) -> UnreadOut:
    """The bell's number."""
    return UnreadOut(count=unread_count(signed_in(request).pk))


@router.post("/me/notifications/read-all", response={200: MarkedOut, **ERRORS})
def read_all(request: HttpRequest) -> MarkedOut:
    """Mark every unread notification read; answers how many."""
    return MarkedOut(marked=mark_all_read(user=signed_in(request)))


@router.post("/me/notifications/{notification}/read", response={200: NotificationOut, **ERRORS})
def read_one(request: HttpRequest, notification: int) -> NotificationOut:
    """Mark one of my notifications read (again: no change)."""
    user = signed_in(request)
    found = access_notification(user=user, notification_id=notification)
    return _out(mark_read(user=user, notification=found))


@router.get("/me/notification-preferences", response={200: list[PreferenceOut], **ERRORS})
def list_preferences(request: HttpRequest) -> list[PreferenceOut]:
    """When each kind of notification is e-mailed to me."""
    return [
        PreferenceOut(
            kind=p.kind.key,
            label=p.kind.label,
            email=cast(EmailChoiceName, p.email.value),
            chosen=p.chosen,
        )
        for p in email_preferences(signed_in(request).pk)
    ]


@router.put("/me/notification-preferences/{kind}", response={200: PreferenceOut, **ERRORS})
def put_preference(request: HttpRequest, kind: str, payload: PreferenceIn) -> PreferenceOut:
    """Choose when one kind is e-mailed: ``immediate``, ``daily`` or ``weekly`` (a digest),
    ``off``. An unknown kind is a 404."""
    user = signed_in(request)
    found = kind_named(kind)
    if found is None:
        raise Http404("No such kind of notification.")
    set_email_preference(user=user, kind=found.key, email=payload.email)
    return PreferenceOut(kind=found.key, label=found.label, email=payload.email, chosen=True)
