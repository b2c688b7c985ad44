"""Who is still signed in, for the personal sockets' sweep (``cadenza.realtime.personal``,
which imports no domain app and is handed this at start-up).

A socket is let in with the session cookie once; it stays only while that session exists
(logging out deletes it, an expired one is gone) and the account is active.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from cadenza.accounts.models import User


class SignedInSessions:
    """``PersonalAdmission``: one query for the accounts, one for the sessions (on the
    database session engine; another engine is asked per session)."""

    def signed_in(self, sockets: set[tuple[int, str]]) -> set[tuple[int, str]]:
        if not sockets:
            return set()
        active = set(
            User.objects.filter(pk__in={uid for uid, _ in sockets}, is_active=True).values_list(
                "pk", flat=True
            )
        )
        keys = {key for _, key in sockets if key}
        if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
            live = set(
                Session.objects.filter(
                    session_key__in=keys, expire_date__gt=timezone.now()
                ).values_list("session_key", flat=True)
            )
        else:
            store = import_module(settings.SESSION_ENGINE).SessionStore
            live = {key for key in keys if store().exists(key)}
        return {(uid, key) for uid, key in sockets if uid in active and key in live}
