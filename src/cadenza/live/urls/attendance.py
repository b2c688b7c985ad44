"""Attendance and the replay of a live session (engineer L4's part)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.live.attendance.views import attendance, captions, replay

session = "live/<int:session_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(session + "attendance/", attendance.attendance, name="live_attendance"),
    path(session + "attendance/recount/", attendance.recount, name="live_attendance_recount"),
    path(session + "replay/", replay.replay, name="live_replay"),
    path(session + "replay/progress/", replay.replay_progress, name="live_replay_progress"),
    path(session + "recording/", replay.recording, name="live_recording"),
    path(session + "recording/edit/", replay.recording_edit, name="live_recording_edit"),
    path(session + "captions/", captions.caption_add, name="live_replay_caption_add"),
    path(
        session + "captions/<str:language>/remove/",
        captions.caption_remove,
        name="live_replay_caption_remove",
    ),
    path(
        session + "captions/<str:language>.vtt",
        captions.caption_file,
        name="live_replay_captions",
    ),
    path(
        session + "questions/<int:question_id>/answer/",
        replay.answer_later,
        name="live_question_answer",
    ),
]
