"""One rule for who may be in a room, and one for what learners see: every reader agrees.

``access_room`` (one person, at connect and on every write) and ``admitted_people`` (the
sweep, many at once) both ask ``admission.admits``; the session pages, the schedule, the
reminders and the room all filter with ``courses.models.open_to_learners``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Module, Unit
from cadenza.live.models import ChatMessage
from cadenza.live.room.actions.moderation import remove_participant
from cadenza.live.room.commands import perform
from cadenza.live.room.selectors.room import access_room
from cadenza.live.schedule.actions.scheduling import cancel_session
from cadenza.live.schedule.selectors import participants, upcoming_sessions
from cadenza.live.sessions.access import access_session
from cadenza.live.sessions.admission import admitted_people
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Classroom:
    return build_classroom()


def _chat(user: User, school: Classroom, cid: str) -> int:
    return perform(
        user=user,
        session_id=school.session.pk,
        data={"type": "chat.post", "client_event_id": cid, "body": "Still here?"},
    )


def test_a_learner_deactivated_while_connected_can_no_longer_write(school: Classroom) -> None:
    connected_as = school.ada  # the socket keeps the user it loaded at connect
    User.objects.filter(pk=school.ada.pk).update(is_active=False)

    with pytest.raises(Http404):
        _chat(connected_as, school, "c-1")
    assert ChatMessage.objects.count() == 0


def test_nobody_writes_in_a_cancelled_sessions_room_not_even_a_host(school: Classroom) -> None:
    cancel_session(session=school.session, by=school.admin)

    for person in (school.host, school.ada):
        with pytest.raises(PermissionDenied, match=r"^This session was cancelled\.$"):
            _chat(person, school, f"c-{person.pk}")
    assert ChatMessage.objects.count() == 0


def _deactivate_bob(school: Classroom) -> None:
    User.objects.filter(pk=school.bob.pk).update(is_active=False)


def _remove_ada(school: Classroom) -> None:
    remove_participant(
        ctx=ctx_of(school.host, school.org), session=school.session, user_id=school.ada.pk
    )


def _cancel(school: Classroom) -> None:
    cancel_session(session=school.session, by=school.admin)


def _unpublish_course(school: Classroom) -> None:
    Course.objects.filter(pk=school.session.course_id).update(published_at=None)


def _unpublish_module(school: Classroom) -> None:
    Module.objects.filter(pk=school.session.unit.module_id).update(published_at=None)


def _unpublish_unit(school: Classroom) -> None:
    Unit.objects.filter(pk=school.session.unit_id).update(published_at=None)


def _single(school: Classroom, user: User) -> bool:
    try:
        access_room(user=User.objects.get(pk=user.pk), session_id=school.session.pk)
    except (Http404, PermissionDenied):
        return False
    return True


@pytest.mark.parametrize(
    "change",
    [
        lambda school: None,
        _deactivate_bob,
        _remove_ada,
        _cancel,
        _unpublish_course,
        _unpublish_module,
        _unpublish_unit,
    ],
    ids=["as-is", "deactivated", "removed", "cancelled", "course", "module", "unit"],
)
def test_the_single_check_and_the_sweeps_batch_admit_the_same_people(
    school: Classroom, change: Callable[[Classroom], None]
) -> None:
    change(school)
    people = [school.host, school.admin, school.ada, school.bob, school.carl, school.stranger]

    one_by_one = {person.pk for person in people if _single(school, person)}
    at_once = admitted_people(session_id=school.session.pk, user_ids={p.pk for p in people})

    assert one_by_one == at_once


@pytest.mark.parametrize(
    "unpublish",
    [_unpublish_course, _unpublish_module, _unpublish_unit],
    ids=["course", "module", "unit"],
)
def test_a_draft_anywhere_above_a_session_hides_it_from_learners_everywhere(
    school: Classroom, unpublish: Callable[[Classroom], None]
) -> None:
    unpublish(school)
    now = datetime.now(UTC)
    ada, host = ctx_of(school.ada, school.org), ctx_of(school.host, school.org)

    with pytest.raises(Http404):
        access_session(ada, session_id=school.session.pk)
    assert upcoming_sessions(ada, now=now) == []
    assert [user.pk for user in participants(school.session)] == [school.host.pk]
    assert access_session(host, session_id=school.session.pk) == school.session
    assert [s.pk for s in upcoming_sessions(host, now=now)] == [school.session.pk]
