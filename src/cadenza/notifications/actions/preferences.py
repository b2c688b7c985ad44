"""A person's choice of e-mail per kind of notification, and the one-click unsubscribe."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cadenza.accounts.models import User
from cadenza.notifications.kinds import kind_named
from cadenza.notifications.models import EmailChoice, NotificationPreference
from cadenza.notifications.unsubscribe_tokens import read_token


@transaction.atomic
def set_email_preference(*, user: User, kind: str, email: str) -> NotificationPreference:
    """Store ``user``'s choice for ``kind``. An unknown kind or choice raises
    ``ValidationError`` (nothing stored)."""
    if kind_named(kind) is None:
        raise ValidationError({"kind": [f"There is no kind of notification called {kind!r}."]})
    if email not in EmailChoice.values:
        choices = ", ".join(EmailChoice.values)
        raise ValidationError({"email": [f"Choose one of {choices}."]})
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email}
    )
    return preference


class BadUnsubscribeLink(Exception):
    """The link was altered, or names a person or kind that no longer exists."""


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn off e-mail for the kind the signed ``token`` names (no log-in: the token is the
    authority). Answers the person and the kind's label; raises ``BadUnsubscribeLink``, with
    nothing changed, for a token that does not verify or names nobody."""
    found = read_token(token)
    if found is None:
        raise BadUnsubscribeLink("This unsubscribe link is not valid (it may have been cut short).")
    kind = kind_named(found.kind)
    user = User.objects.filter(pk=found.user_id).first()
    if kind is None or user is None:
        raise BadUnsubscribeLink("This unsubscribe link no longer applies to anything.")
    set_email_preference(user=user, kind=kind.key, email=EmailChoice.OFF)
    return user, kind.label
