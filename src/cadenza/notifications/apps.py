from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cadenza.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Be the outbox of the layers below us (see ``cadenza.accounts.outgoing_email``), and
        hand the outbox its task queue (tasks call actions, so actions cannot import tasks)."""
        from cadenza.accounts.outgoing_email import register_email_queue
        from cadenza.notifications.actions import queue_email_by_org_id, schedule_deliveries_with
        from cadenza.notifications.tasks import deliver_email_task

        register_email_queue(queue_email_by_org_id)
        schedule_deliveries_with(deliver_email_task)
