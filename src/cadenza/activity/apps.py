from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "cadenza.activity"
    label = "activity"
