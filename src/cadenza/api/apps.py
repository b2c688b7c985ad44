from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cadenza.api"
    label = "api"
