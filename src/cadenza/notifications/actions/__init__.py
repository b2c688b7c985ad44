"""Every write of the notifications app: the e-mail outbox (``outbox``), the dispatcher
(``dispatch``), reading notices (``inbox``) and e-mail preferences (``preferences``).

The outbox's names are re-exported here, as callers have always imported them."""

from cadenza.notifications.actions.outbox import (
    MAX_ATTEMPTS,
    SENDING_CLAIM,
    DeliveryOutcome,
    deliver_email,
    deliver_pending_emails,
    html_part,
    new_message_id,
    queue_email,
    queue_email_by_org_id,
    schedule_deliveries_with,
)

__all__ = [
    "MAX_ATTEMPTS",
    "SENDING_CLAIM",
    "DeliveryOutcome",
    "deliver_email",
    "deliver_pending_emails",
    "html_part",
    "new_message_id",
    "queue_email",
    "queue_email_by_org_id",
    "schedule_deliveries_with",
]
