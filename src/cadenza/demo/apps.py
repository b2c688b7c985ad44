from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cadenza.demo"
    label = "demo"
