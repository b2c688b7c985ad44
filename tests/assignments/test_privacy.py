"""Learners never see each other's work or grades, TAs see only the courses they grade,
through every assignment page; stored text is rendered safe (submission text, rubric
comments); the hot pages take a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

import cadenza.assignments.urls
from cadenza.accounts.models import User
from cadenza.assignments import actions
from cadenza.assignments.actions import CriterionScore
from cadenza.assignments.models import Draft, Grade, Submission
from cadenza.orgs.models import Role
from tests.assignments.conftest import Classroom, build_classroom, checked_pdf
from tests.factories import enrol, make_user

pytestmark = pytest.mark.django_db

SECRET = "Ada's secret essay"
PAYLOADS = (
    "<script>alert('x')</script>",
    '<img src="x.png" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(2)">a</a>',
)
XSS_TEXT = "Essay " + " ".join(PAYLOADS)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def graded_classroom(text: str = SECRET, comment: str = "Ada's private feedback") -> Classroom:
    room = build_classroom(allow_resubmission=True)
    actions.attach_file(assignment=room.assignment, learner=room.learner, upload=checked_pdf())
    actions.save_draft(assignment=room.assignment, learner=room.learner, text=text)
    submission = actions.submit(
        assignment=room.assignment, learner=room.learner, zone=ZoneInfo("UTC")
    )
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    actions.grade_submission(
        submission=submission,
        scores=[CriterionScore(c.pk, c.levels.all()[0].pk, comment=comment) for c in criteria],
        comment=comment,
        graded_by=room.instructor,
    )
    return room


def assignment_urls(room: Classroom) -> list[tuple[str, str]]:
    """Every assignment URL, with the first learner's objects."""
    submission = Submission.objects.get(learner=room.learner)
    known = {
        "org_slug": room.org.slug,
        "course_slug": room.course.slug,
        "unit_id": room.assignment.unit_id,
        "module_id": room.assignment.unit.module_id,
        "file_id": submission.file_id,
        "submission_id": submission.pk,
        "learner_id": room.learner.pk,
        "person_id": room.grader_ta.pk,
    }
    urls = []
    for pattern in cadenza.assignments.urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        params = ["org_slug", *pattern.pattern.regex.groupindex]
        kwargs = {param: known[param] for param in params}
        urls.append((str(pattern.name), reverse(str(pattern.name), kwargs=kwargs)))
    return urls


def ada_state(room: Classroom) -> tuple[object, ...]:
    draft = Draft.objects.get(learner=room.learner)
    return (
        draft.text,
        draft.file_id,
        list(Submission.objects.filter(learner=room.learner).values_list("pk", "text")),
        list(Grade.objects.values_list("pk", "final_points", "comment")),
    )


def _walk(room: Classroom, person: User, allowed: Callable[[str], bool]) -> int:
    before = ada_state(room)
    client = client_for(person)
    walked = 0
    for name, url in assignment_urls(room):
        for response in (client.get(url), client.post(url, {"text": "Not Ada", "comment": "x"})):
            body = b"" if response.streaming else response.content
            response.close()
            if not allowed(name):
                assert response.status_code in (400, 403, 404, 405), (name, response.status_code)
            assert SECRET.encode() not in body, name
            assert b"Ada's private feedback" not in body, name
            walked += 1
    assert ada_state(room) == before
    return walked


def test_another_learner_reads_and_changes_nothing_of_a_learners_work_on_any_page() -> None:
    room = graded_classroom()
    own_pages = {"assignment", "assignment_draft", "assignment_attach", "assignment_detach"}
    own_pages |= {"assignment_submit"}
    walked = _walk(room, room.other_learner, lambda name: name in own_pages)
    assert walked == 2 * len(cadenza.assignments.urls.urlpatterns)


def test_a_ta_who_does_not_grade_the_course_reads_nothing_of_it_on_any_page() -> None:
    room = graded_classroom()
    # The assignment page is open to staff (a preview of the unit, without anyone's work), the
    # queue to every TA (with the work of their own courses only).
    _walk(room, room.other_ta, lambda name: name in {"assignment", "grading_queue"})


def test_submission_text_and_rubric_comments_are_rendered_without_scripts_on_every_page() -> None:
    room = graded_classroom(text=XSS_TEXT, comment="Comment " + " ".join(PAYLOADS))
    submission = Submission.objects.get()
    pages = [
        (
            room.learner,
            reverse("assignment", args=[room.org.slug, room.course.slug, room.assignment.unit_id]),
        ),
        (room.instructor, reverse("submission_grade", args=[room.org.slug, submission.pk])),
        (room.instructor, reverse("grading_queue", args=[room.org.slug])),
        (
            room.learner,
            f"/api/v1/orgs/{room.org.slug}/courses/{room.course.slug}/units/{room.assignment.unit_id}/assignment",
        ),
        (room.instructor, f"/api/v1/orgs/{room.org.slug}/submissions/{submission.pk}"),
    ]
    for person, url in pages:
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        if url.startswith("/api/"):
            html = "".join(
                value for key, value in _strings(response.json()) if key.endswith("_html")
            )
            assert "<p>Essay" in html or "<p>Comment" in html, url
        # The payloads may appear as escaped text (the draft's textarea), never as markup.
        assert "<script>alert" not in html, url
        assert 'onerror="' not in html, url
        assert 'href="javascript:' not in html, url


def _strings(value: object, key: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _strings(v, k)]
    if isinstance(value, list):
        return [pair for v in value for pair in _strings(v, key)]
    return [(key, value)] if isinstance(value, str) else []


@pytest.mark.parametrize("resubmissions", [1, 4])
def test_the_assignment_page_takes_the_same_queries_for_one_or_many_submissions(
    resubmissions: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    room = build_classroom(allow_resubmission=True)
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    for n in range(resubmissions):
        actions.save_draft(assignment=room.assignment, learner=room.learner, text=f"v{n}")
        submission = actions.submit(
            assignment=room.assignment, learner=room.learner, zone=ZoneInfo("UTC")
        )
        actions.grade_submission(
            submission=submission,
            scores=[CriterionScore(c.pk, c.levels.all()[0].pk) for c in criteria],
            comment="",
            graded_by=room.instructor,
        )
    client = client_for(room.learner)
    url = reverse("assignment", args=[room.org.slug, room.course.slug, room.assignment.unit_id])
    client.get(url)  # the first visit records "experienced"
    with django_assert_num_queries(ASSIGNMENT_PAGE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("data-final-points") == resubmissions


ASSIGNMENT_PAGE_QUERIES = 18
"""Session and person (2), organization, course, unit, assignment, the visit (lock, update),
the outline's navigation, the enrolment, extension, draft, submissions with their grades (2),
the rubric (2), the grading check, and the savepoint pair of the visit."""
GRADING_QUEUE_QUERIES = 6
"""Session and person (2), organization, the queue (one query), the turnaround (2)."""


@pytest.mark.parametrize("learners", [1, 6])
def test_the_grading_queue_takes_the_same_queries_for_few_or_many_submissions(
    learners: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:

    room = build_classroom()
    people = [make_user(room.org, Role.LEARNER) for _ in range(learners)]
    for person in people:
        enrol(room.course, person)
        actions.save_draft(assignment=room.assignment, learner=person, text="Essay")
        actions.submit(assignment=room.assignment, learner=person, zone=ZoneInfo("UTC"))
    Submission.objects.filter(learner=people[0]).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    client = client_for(room.grader_ta)
    url = reverse("grading_queue", args=[room.org.slug])
    with django_assert_num_queries(GRADING_QUEUE_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("data-submission=") == learners
