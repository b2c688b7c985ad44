from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cadenza.web"
    label = "web"
