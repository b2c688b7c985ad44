"""Background entry points for e-mail delivery; each calls an action."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from cadenza.notifications.actions import deliver_email, deliver_pending_emails


@db_task()  # type: ignore[untyped-decorator]  # huey ships no type hints
def deliver_email_task(email_id: int) -> None:
    """Send one e-mail right after the transaction that queued it committed."""
    deliver_email(email_id=email_id)


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def retry_pending_emails() -> None:
    """Every minute: send whatever is still waiting (a failed send, a lost task, a restart)."""
    deliver_pending_emails()
