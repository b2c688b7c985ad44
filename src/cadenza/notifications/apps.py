from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cadenza.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Be the outbox of the layers below us (see ``cadenza.accounts.outgoing_email``)."""
        from cadenza.accounts.outgoing_email import register_email_queue
        from cadenza.notifications.actions import queue_email_by_org_id

        register_email_queue(queue_email_by_org_id)
