"""``admitted_people``: access_room's rule for a whole room at once, as the sweep uses it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadenza.courses.actions import withdraw_learner
from cadenza.courses.models import Enrolment, Unit
from cadenza.live.models import LiveSession
from cadenza.live.room.actions.moderation import remove_participant
from cadenza.live.sessions.admission import admitted_people
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Classroom:
    return build_classroom()


def _everyone(school: Classroom) -> set[int]:
    people = (school.host, school.admin, school.ada, school.bob, school.carl, school.stranger)
    return {person.pk for person in people}


def test_staff_and_enrolled_learners_are_admitted_strangers_and_the_unenrolled_not(
    school: Classroom,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        admitted = admitted_people(session_id=school.session.pk, user_ids=_everyone(school))
    assert admitted == {school.host.pk, school.admin.pk, school.ada.pk, school.bob.pk}
    assert len(queries) == 4


def test_withdrawn_and_removed_learners_are_no_longer_admitted(school: Classroom) -> None:
    withdraw_learner(enrolment=Enrolment.objects.get(user=school.ada))
    remove_participant(
        ctx=ctx_of(school.host, school.org), session=school.session, user_id=school.bob.pk
    )
    admitted = admitted_people(session_id=school.session.pk, user_ids=_everyone(school))
    assert admitted == {school.host.pk, school.admin.pk}


def test_an_unpublished_unit_admits_only_staff(school: Classroom) -> None:
    Unit.objects.filter(pk=school.session.unit_id).update(published_at=None)
    admitted = admitted_people(session_id=school.session.pk, user_ids=_everyone(school))
    assert admitted == {school.host.pk, school.admin.pk}


def test_a_cancelled_or_missing_session_admits_nobody(school: Classroom) -> None:
    LiveSession.objects.filter(pk=school.session.pk).update(status="cancelled")
    assert admitted_people(session_id=school.session.pk, user_ids=_everyone(school)) == set()
    assert admitted_people(session_id=10**9, user_ids=_everyone(school)) == set()
    assert admitted_people(session_id=school.session.pk, user_ids=set()) == set()


def test_a_deactivated_account_is_not_admitted(school: Classroom) -> None:
    type(school.ada).objects.filter(pk=school.ada.pk).update(is_active=False)
    admitted = admitted_people(session_id=school.session.pk, user_ids={school.ada.pk})
    assert admitted == set()
