from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cadenza.notifications"
    label = "notifications"

    def ready(self) -> None:
        """Be the outbox of the layers below us (see ``cadenza.accounts.outgoing_email``), hand
        the outbox its task queue (tasks call actions, so actions cannot import tasks), and
        hand the person's socket the bell (``cadenza.realtime`` imports no domain app)."""
        from cadenza.accounts.outgoing_email import register_email_queue
        from cadenza.notifications.actions import queue_email_by_org_id, schedule_deliveries_with
        from cadenza.notifications.socket_topic import BellTopic
        from cadenza.notifications.tasks import deliver_email_task
        from cadenza.realtime.personal import use_personal_topic

        register_email_queue(queue_email_by_org_id)
        schedule_deliveries_with(deliver_email_task)
        use_personal_topic(BellTopic())
