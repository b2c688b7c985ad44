"""Reads of a person's notices and preferences, shared by the pages, the API and the socket.

One rule for what a person sees (``visible_notifications``): their own rows, of the
organizations they are still a member of (a person removed from an organization no longer
sees its notices; its rows answer 404, as any foreign organization's object does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.notifications.kinds import NotificationKind, registered_kinds
from cadenza.notifications.models import EmailChoice, Notification, NotificationPreference
from cadenza.orgs.models import Membership


def _of_members() -> QuerySet[Notification]:
    """Rows whose person is still a member of the row's organization."""
    return Notification.objects.filter(
        Exists(Membership.objects.filter(user_id=OuterRef("user_id"), org_id=OuterRef("org_id")))
    )


def visible_notifications(user_id: int) -> QuerySet[Notification]:
    """The person's notices, the latest first (a bundled row moves up with each notice)."""
    return _of_members().filter(user_id=user_id).select_related("org").order_by("-latest_at", "-id")


def unread_count(user_id: int) -> int:
    """How many notices the bell shows: one query."""
    return visible_notifications(user_id).filter(read_at__isnull=True).count()


def unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """The bell's number for several people in one query (0 for those with none)."""
    ids = set(user_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        _of_members()
        .filter(user_id__in=ids, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
    )
    counts.update({row["user_id"]: row["n"] for row in rows})
    return counts


def access_notification(*, user: User, notification_id: int) -> Notification:
    """One of the person's notices, or 404 (another person's, or of an organization the
    person is not a member of)."""
    found = visible_notifications(user.pk).filter(pk=notification_id).first()
    if found is None:
        raise Http404("No such notification.")
    return found


@dataclass(frozen=True, slots=True)
class KindPreference:
    kind: NotificationKind
    email: EmailChoice
    chosen: bool
    """False: the kind's default holds (the person never chose)."""


def email_preferences(user_id: int) -> list[KindPreference]:
    """Each registered kind with the person's choice of e-mail (or the kind's default)."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id=user_id).values_list("kind", "email")
    )
    return [
        KindPreference(
            kind=kind,
            email=EmailChoice(chosen.get(kind.key, kind.default_email)),
            chosen=kind.key in chosen,
        )
        for kind in registered_kinds()
    ]


def email_choices_for(*, kind: NotificationKind, user_ids: Iterable[int]) -> dict[int, EmailChoice]:
    """Each person's choice of e-mail for ``kind`` (the default where none): one query."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind.key).values_list(
            "user_id", "email"
        )
    )
    return {uid: EmailChoice(chosen.get(uid, kind.default_email)) for uid in ids}
