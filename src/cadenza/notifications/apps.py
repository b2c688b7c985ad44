from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cadenza.notifications"
    label = "notifications"
