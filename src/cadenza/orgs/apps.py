from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cadenza.orgs"
    label = "orgs"
