"""The app of the bare project (the model and its seeded rows)."""

from django.apps import AppConfig


class BareConfig(AppConfig):
    name = "bare_django"
    default_auto_field = "django.db.models.BigAutoField"
