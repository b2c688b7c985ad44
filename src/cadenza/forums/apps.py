from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "cadenza.forums"
    label = "forums"

    def ready(self) -> None:
        """Register the forums' kinds of notification (``notices``) with the dispatcher."""
        from cadenza.forums import notices  # noqa: F401
