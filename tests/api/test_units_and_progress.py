"""Reading a unit, reporting progress in it and the staff's progress table, via the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadenza.activity.models import Statement
from cadenza.courses.models import UnitKind
from cadenza.learning.actions.progress import complete_unit, visit_unit
from cadenza.learning.models import ProgressStatus, UnitProgress
from tests.api.conftest import Outline, People, api_as, iso
from tests.factories import enrol

pytestmark = pytest.mark.django_db

COURSE = "/orgs/harbour/courses/sepsis"


def written() -> tuple[int, int]:
    return UnitProgress.objects.count(), Statement.objects.count()


def test_an_enrolled_learner_reads_a_unit_and_the_visit_is_recorded(
    people: People, outline: Outline
) -> None:
    enrol(outline.course, people.learner)
    reading, video = outline.units[:2]

    response = api_as(people.learner).get(f"{COURSE}/units/{reading.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": reading.pk,
        "kind": "reading",
        "title": "What sepsis is",
        "module": {"id": outline.first.pk, "title": "Recognising sepsis"},
        "estimated_minutes": 5,
        "body_html": "<p>Read <em>me</em></p>",
        "video_source": None,
        "video_duration_seconds": None,
        "download": None,
        "tracked": True,
        "progress": {
            "status": "started",
            "completed": False,
            "time_spent_seconds": 0,
            "position_seconds": 0.0,
            "watched_percent": 0.0,
            "best_score_percent": None,
        },
        "navigation": {
            "previous": None,
            "next": {"id": video.pk, "title": "Lecture"},
            "number": 1,
            "total": 4,
        },
    }
    progress = UnitProgress.objects.get(user=people.learner, unit=reading)
    assert progress.status == ProgressStatus.STARTED
    assert Statement.objects.filter(verb__endswith="experienced").count() == 1


def test_a_video_unit_gives_its_source(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    video = outline.units[1]

    body = api_as(people.learner).get(f"{COURSE}/units/{video.pk}").json()

    assert (body["kind"], body["video_source"], body["video_duration_seconds"]) == (
        "video",
        "https://example.org/v.mp4",
        100.0,
    )


def test_unit_markdown_is_sanitized(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    reading = outline.units[0]
    reading.body = "Hi <script>alert(1)</script>[x](javascript:alert(1))"
    reading.save()

    body = api_as(people.learner).get(f"{COURSE}/units/{reading.pk}").json()

    assert "<script" not in body["body_html"]
    assert "javascript:" not in body["body_html"]


def test_staff_preview_a_unit_without_leaving_a_trace(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).get(f"{COURSE}/units/{outline.units[0].pk}")

    assert response.status_code == 200
    assert (response.json()["tracked"], response.json()["progress"]) == (False, None)
    assert written() == (0, 0)


def test_a_learner_not_enrolled_gets_404_for_a_unit(people: People, outline: Outline) -> None:
    response = api_as(people.learner).get(f"{COURSE}/units/{outline.units[0].pk}")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such unit."}
    assert written() == (0, 0)


def test_a_progress_report_answers_like_the_unit_page(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    video = outline.units[1]
    visit_unit(user=people.learner, unit=video, now=timezone.now() - timedelta(seconds=40))

    response = api_as(people.learner).post(
        f"{COURSE}/units/{video.pk}/progress",
        {"active_seconds": 30, "position_seconds": 30, "played_seconds": 30},
    )

    assert response.status_code == 200
    assert response.json() == {
        "status": "started",
        "watched_percent": 30.0,
        "position_seconds": 30.0,
        "completed": False,
    }
    progress = UnitProgress.objects.get(user=people.learner, unit=video)
    assert (progress.time_spent_seconds, progress.watched_seconds) == (30, 30.0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"active_seconds": -1}, "active_seconds"),
        ({"active_seconds": 5, "played_seconds": -3}, "played_seconds"),
        ({"active_seconds": 5, "position_seconds": 86401}, "position_seconds"),
        ({"active_seconds": "soon"}, "active_seconds"),
        ({}, "active_seconds"),
    ],
)
def test_bad_seconds_are_refused_with_422_and_nothing_written(
    people: People, outline: Outline, body: dict[str, object], field: str
) -> None:
    enrol(outline.course, people.learner)
    before = written()

    response = api_as(people.learner).post(f"{COURSE}/units/{outline.units[1].pk}/progress", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert written() == before


def test_staff_reports_are_refused_with_403(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(
        f"{COURSE}/units/{outline.units[1].pk}/progress", {"active_seconds": 5}
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Progress is recorded only for learners enrolled in the course."
    }
    assert written() == (0, 0)


def test_a_learner_marks_a_reading_as_done(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    reading = outline.units[0]

    response = api_as(people.learner).post(f"{COURSE}/units/{reading.pk}/complete")

    assert response.status_code == 200
    assert response.json() == {
        "status": "completed",
        "watched_percent": 0.0,
        "position_seconds": 0.0,
        "completed": True,
    }
    assert UnitProgress.objects.get(unit=reading).status == ProgressStatus.COMPLETED
    assert Statement.objects.filter(verb__endswith="completed").count() == 1


def test_a_knowledge_check_cannot_be_marked_as_done(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    before = written()

    response = api_as(people.learner).post(f"{COURSE}/units/{outline.units[2].pk}/complete")

    assert response.status_code == 400
    assert response.json() == {"detail": "A knowledge check is completed by passing it."}
    assert written() == before


def test_staff_see_every_learners_progress(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    complete_unit(user=people.learner, unit=outline.units[0])
    progress = UnitProgress.objects.get()

    response = api_as(people.ta).get(f"{COURSE}/progress")

    assert response.status_code == 200
    assert response.json() == {
        "total_units": 4,
        "checks": [{"unit_id": outline.units[2].pk, "title": "Check"}],
        "learners": [
            {
                "person": {"id": people.learner.pk, "email": "learner@example.org", "name": "Lea"},
                "time_zone": "UTC",
                "completed": 1,
                "total": 4,
                "percent": 25,
                "time_spent_seconds": 0,
                "last_activity": iso(progress.last_visited_at),
                "check_scores": [None],
            }
        ],
    }


def test_a_learner_may_not_see_the_progress_table(people: People, outline: Outline) -> None:
    response = api_as(people.learner).get(f"{COURSE}/progress")

    assert response.status_code == 403


def test_another_organizations_unit_answers_404_for_progress(
    people: People, outline: Outline, foreign_outline: Outline
) -> None:
    enrol(outline.course, people.learner)
    foreign = foreign_outline.units[0]
    assert foreign.kind == UnitKind.READING

    reported = api_as(people.learner).post(
        f"{COURSE}/units/{foreign.pk}/progress", {"active_seconds": 5}
    )
    completed = api_as(people.learner).post(f"{COURSE}/units/{foreign.pk}/complete")

    assert (reported.status_code, completed.status_code) == (404, 404)
    assert written() == (0, 1)  # the enrolment's "registered" statement only
