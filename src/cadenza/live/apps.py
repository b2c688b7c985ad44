from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "cadenza.live"
    label = "live"

    def ready(self) -> None:
        """Hand the real-time transport the live room's event log, admission check and
        presence frame (``cadenza.live.room.transport``: ``cadenza.realtime`` imports no domain
        app), and hand each part of a live session what it asks of the others
        (``cadenza.live.sessions.hooks``: the parts import each other nowhere)."""
        from cadenza.live.attendance.room_presence import (
            PresenceIntervals,
            count_attendance_at_close,
        )
        from cadenza.live.providers.registry import recordings_of
        from cadenza.live.room.transport import LIVE_ROOMS
        from cadenza.live.schedule.actions.reminders import notify_starting_now
        from cadenza.live.sessions.hooks import SessionHooks, use_session_hooks
        from cadenza.live.tasks import end_breakout_video_meetings
        from cadenza.realtime.rooms import use_rooms

        use_rooms(LIVE_ROOMS)
        use_session_hooks(
            SessionHooks(
                room_opened=notify_starting_now,
                room_closed=count_attendance_at_close,
                presence=PresenceIntervals(),
                breakouts_recalled=end_breakout_video_meetings,
                video_recordings=recordings_of,
            )
        )
