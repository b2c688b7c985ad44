"""The kinds of notification people choose e-mail for, one per kind of event.

Each domain app registers its kinds when it loads (``register_kind`` at module level in the
module that dispatches them, imported by the app's ``AppConfig.ready``): notifications sits
below the apps whose events it carries, so it cannot list them itself. The preferences page,
the API and the unsubscribe link know a kind only through this registry; a stored preference
for a kind no longer registered is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.notifications.models import EmailChoice


@dataclass(frozen=True, slots=True)
class NotificationKind:
    """``key`` is stored (``"live.reminder"``: the app, a dot, the kind); ``label`` is what the
    preferences page calls it; ``default_email`` holds until the person chooses."""

    key: str
    label: str
    default_email: EmailChoice = EmailChoice.IMMEDIATE


_kinds: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> NotificationKind:
    """Register ``kind`` (again with the same fields: a no-op); a different kind under a key
    already taken is a programming error."""
    known = _kinds.setdefault(kind.key, kind)
    if known != kind:
        raise ValueError(f"Notification kind {kind.key!r} is registered twice, differently.")
    return kind


def registered_kinds() -> list[NotificationKind]:
    """Every kind, in the order the apps registered them."""
    return list(_kinds.values())


def kind_named(key: str) -> NotificationKind | None:
    return _kinds.get(key)
