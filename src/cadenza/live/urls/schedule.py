"""Scheduling pages, the session list of a live-session unit, the per-session calendar file
and the calendar-link page. Mounted under /o/<org_slug>/ (the feed itself: urls/feeds.py)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.views import calendar, schedule

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "teach/courses/<slug:course_slug>/modules/<int:module_id>/live/new/",
        schedule.schedule_new,
        name="live_schedule_new",
    ),
    path(
        "courses/<slug:course_slug>/live/<int:unit_id>/sessions/",
        schedule.unit_sessions,
        name="live_unit_sessions",
    ),
    path(session + "edit/", schedule.session_edit, name="live_session_edit"),
    path(session + "move/", schedule.session_move, name="live_session_move"),
    path(session + "cancel/", schedule.session_cancel, name="live_session_cancel"),
    path(session + "calendar.ics", calendar.session_calendar, name="live_session_ics"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
]
