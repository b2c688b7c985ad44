from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cadenza.live"
    label = "live"

    def ready(self) -> None:
        """Hand the real-time transport the live room's event log, admission check and
        presence frame (``cadenza.live.room.transport``): it imports no domain app."""
        from cadenza.live.room.transport import LIVE_ROOMS
        from cadenza.realtime.rooms import use_rooms

        use_rooms(LIVE_ROOMS)
