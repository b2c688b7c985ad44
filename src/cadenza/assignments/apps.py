from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "cadenza.assignments"
    label = "assignments"
