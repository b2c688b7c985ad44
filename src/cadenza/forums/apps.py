from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "cadenza.forums"
    label = "forums"
