from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "cadenza.courses"
    label = "courses"
