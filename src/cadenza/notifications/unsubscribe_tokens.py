"""The one-click unsubscribe link's token: who and which kind, signed, no log-in needed.

``django.core.signing.Signer`` (HMAC-SHA256 with ``SECRET_KEY``) with a salt of its own (a
token made for anything else never passes here); no timestamp and no expiry, as an unsubscribe
link in an old e-mail must keep working. A token altered by one character fails its signature
and ``read_token`` answers None: the view refuses it (400) and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

SALT = "cadenza.notifications.unsubscribe"


@dataclass(frozen=True, slots=True)
class Unsubscription:
    user_id: int
    kind: str


def make_token(*, user_id: int, kind: str) -> str:
    return signing.Signer(salt=SALT).sign_object({"u": user_id, "k": kind})


def read_token(token: str) -> Unsubscription | None:
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(kind, str):
        return None
    return Unsubscription(user_id=user_id, kind=kind)


def unsubscribe_path(*, user_id: int, kind: str) -> str:
    return reverse("notification_unsubscribe", args=[make_token(user_id=user_id, kind=kind)])
