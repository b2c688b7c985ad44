"""Background entry points of live sessions; each calls an action."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from cadenza.live.models import LiveSession
from cadenza.live.providers.breakouts import end_breakout_videos
from cadenza.live.schedule.actions.reminders import send_due_reminders


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]  # huey ships no type hints
def send_live_session_reminders() -> None:
    """Every minute: the 24-hour and 15-minute reminders that have come due (each is sent
    once, so a late or repeated run is harmless)."""
    send_due_reminders(now=timezone.now())


@db_task(retries=2, retry_delay=30)  # type: ignore[untyped-decorator]
def end_breakout_video_meetings(session_id: int, breakout_ids: list[int]) -> list[str]:
    """After a recall: end the breakout rooms' own video meetings (BigBlueButton), outside
    the recall's transaction, since each call may wait on the video server for seconds."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return []
    return end_breakout_videos(session=session, breakout_ids=breakout_ids)
