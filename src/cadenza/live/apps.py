from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cadenza.live"
    label = "live"
