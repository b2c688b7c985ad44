"""Background entry points of live sessions; each calls an action."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from cadenza.live.actions.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]  # huey ships no type hints
def send_live_session_reminders() -> None:
    """Every minute: the 24-hour and 15-minute reminders that have come due (each is sent
    once, so a late or repeated run is harmless)."""
    send_due_reminders(now=timezone.now())
