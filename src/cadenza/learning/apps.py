from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cadenza.learning"
    label = "learning"
