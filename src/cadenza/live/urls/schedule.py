"""Scheduling pages, the session list of a live-session unit, the per-session calendar file
and the calendar-link page. Mounted under /o/<org_slug>/ (the feed itself: urls/feeds.py)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.schedule.views import calendar, sessions

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "teach/courses/<slug:course_slug>/modules/<int:module_id>/live/new/",
        sessions.schedule_new,
        name="live_schedule_new",
    ),
    path(
        "courses/<slug:course_slug>/live/<int:unit_id>/sessions/",
        sessions.unit_sessions,
        name="live_unit_sessions",
    ),
    path(session + "edit/", sessions.session_edit, name="live_session_edit"),
    path(session + "move/", sessions.session_move, name="live_session_move"),
    path(session + "cancel/", sessions.session_cancel, name="live_session_cancel"),
    path(session + "calendar.ics", calendar.session_calendar, name="live_session_ics"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
]
