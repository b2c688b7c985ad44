from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    """The transport (no models). At startup it hands ``publish`` the channel layer's group
    send, so that actions can send per-person messages without importing Channels."""

    name = "cadenza.realtime"
    label = "realtime"

    def ready(self) -> None:
        from cadenza.realtime.groups import send_with_channel_layer
        from cadenza.realtime.publish import send_to_groups_with

        send_to_groups_with(send_with_channel_layer)
