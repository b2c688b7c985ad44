"""Recalling everyone ends the breakout rooms' own BigBlueButton meetings, after the recall
commits and outside its transaction (a task); other providers have none to end."""

from __future__ import annotations

from typing import Any

import pytest

from cadenza.live.models import BreakoutRoom, LiveSession, VideoProvider
from cadenza.live.room.actions.breakouts import BreakoutPlan, close_breakouts, start_breakouts
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Classroom:
    return build_classroom()


def _split_and_recall(school: Classroom, captured: Any) -> list[int]:
    ctx = ctx_of(school.host, school.org)
    start_breakouts(
        ctx=ctx,
        session=school.session,
        client_event_id="split",
        rooms=[BreakoutPlan("Team A", [school.ada.pk]), BreakoutPlan("Team B", [school.bob.pk])],
    )
    ids = sorted(BreakoutRoom.objects.filter(session=school.session).values_list("pk", flat=True))
    with captured(execute=True):
        close_breakouts(ctx=ctx, session=school.session, client_event_id="recall")
    return ids


def test_recalling_ends_each_breakout_meeting_on_bigbluebutton(
    school: Classroom, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    LiveSession.objects.filter(pk=school.session.pk).update(provider=VideoProvider.BIGBLUEBUTTON)
    school.session.refresh_from_db()
    ended: list[tuple[int, list[int]]] = []

    def end(*, session: LiveSession, breakout_ids: list[int]) -> list[str]:
        ended.append((session.pk, sorted(breakout_ids)))
        return []

    monkeypatch.setattr("cadenza.live.tasks.end_breakout_videos", end)
    ids = _split_and_recall(school, django_capture_on_commit_callbacks)
    assert ended == [(school.session.pk, ids)]


def test_recalling_a_built_in_video_session_ends_no_meeting(
    school: Classroom, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    ended: list[object] = []
    monkeypatch.setattr("cadenza.live.tasks.end_breakout_videos", lambda **kw: ended.append(kw))
    _split_and_recall(school, django_capture_on_commit_callbacks)
    assert ended == []
    assert school.session.provider == VideoProvider.BUILTIN
