"""How accounts and orgs ask for an e-mail without importing the notifications app.

``accounts`` and ``orgs`` sit below ``notifications`` in the layer order (DESIGN section 3), yet
a password reset or an invitation must go through the transactional outbox. So the contract is
declared here, at the bottom, and the notifications app plugs its ``queue_email`` action in when
it loads (``NotificationsConfig.ready``). Callers use :func:`queue_email` below, which behaves
exactly like the outbox action: the row is written in the caller's transaction and sent after
commit; queuing the same ``dedupe_key`` twice is a no-op.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class EmailQueue(Protocol):
    def __call__(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        dedupe_key: str,
        org_id: int | None = None,
        html_body: str = "",
    ) -> None: ...


_queue: EmailQueue | None = None


def register_email_queue(queue: EmailQueue) -> None:
    """Called once by the notifications app at start-up."""
    global _queue
    _queue = queue


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    org_id: int | None = None,
    html_body: str = "",
) -> None:
    """Queue an e-mail in the outbox, in the caller's transaction (see module docstring)."""
    if _queue is None:
        raise ImproperlyConfigured("The notifications app is not installed: no e-mail outbox.")
    _queue(
        to=to,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        org_id=org_id,
        html_body=html_body,
    )
