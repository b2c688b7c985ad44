"""The assignments API: the same selectors, actions and policy as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadenza.assignments import actions
from cadenza.assignments.models import Assignment, Draft, Extension, Grade, Submission
from tests.api.conftest import JsonClient
from tests.assignments.conftest import Classroom, build_classroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def room() -> Classroom:
    return build_classroom()


def mine(room: Classroom) -> str:
    unit = room.assignment.unit_id
    return f"/orgs/{room.org.slug}/courses/{room.course.slug}/units/{unit}/assignment"


def test_a_learner_saves_a_draft_submits_and_reads_it_back(room: Classroom) -> None:
    api = JsonClient(room.learner)
    saved = api.put(mine(room) + "/draft", {"text": "My *essay*"})
    assert saved.status_code == 200
    assert saved.json()["text"] == "My *essay*"
    submitted = api.post(mine(room) + "/submissions")
    assert submitted.status_code == 201
    body = submitted.json()
    assert (body["number"], body["text_html"], body["days_late"], body["grade"]) == (
        1,
        "<p>My <em>essay</em></p>",
        0,
        None,
    )
    page = api.get(mine(room)).json()
    assert page["deadline"]["source"] == "fixed"
    assert page["deadline"]["due_in"] == "due in 2 days"
    assert page["may_submit"] is False
    assert page["refusal"] == "This assignment takes one submission, and yours is in."
    assert [s["number"] for s in page["submissions"]] == [1]
    assert [c["title"] for c in page["rubric"]] == ["Argument", "Sources"]


def test_a_second_submission_is_refused_with_400_and_nothing_written(room: Classroom) -> None:
    api = JsonClient(room.learner)
    api.put(mine(room) + "/draft", {"text": "Essay"})
    api.post(mine(room) + "/submissions")
    refused = api.post(mine(room) + "/submissions")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "This assignment takes one submission, and yours is in."}
    assert Submission.objects.count() == 1


def test_undeclared_fields_and_control_characters_are_refused_with_422(room: Classroom) -> None:
    api = JsonClient(room.learner)
    assert api.put(mine(room) + "/draft", {"text": "a", "grade": 10}).status_code == 422
    assert api.put(mine(room) + "/draft", {"text": "a\x1bb"}).status_code == 422
    assert Draft.objects.count() == 0


def test_a_learner_never_reads_another_learners_work_or_grade(room: Classroom) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Ada's secret")
    submission = actions.submit(
        assignment=room.assignment, learner=room.learner, zone=timezone.get_current_timezone()
    )
    other = JsonClient(room.other_learner)
    page = other.get(mine(room))
    assert page.status_code == 200
    assert "Ada's secret" not in page.content.decode()
    assert page.json()["submissions"] == []
    assert page.json()["draft_text"] == ""
    assert other.get(f"/orgs/{room.org.slug}/submissions/{submission.pk}").status_code == 403
    assert other.get(f"/orgs/{room.org.slug}/grading-queue").status_code == 403
    graded = other.post(f"/orgs/{room.org.slug}/submissions/{submission.pk}/grades", {"scores": []})
    assert graded.status_code == 403
    assert Grade.objects.count() == 0


def test_a_ta_grades_only_the_courses_they_grade(room: Classroom) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Essay")
    submission = actions.submit(
        assignment=room.assignment, learner=room.learner, zone=timezone.get_current_timezone()
    )
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    body = {
        "scores": [
            {"criterion": c.pk, "level": c.levels.all()[0].pk, "comment": "Good"} for c in criteria
        ],
        "comment": "Well done",
    }
    url = f"/orgs/{room.org.slug}/submissions/{submission.pk}"
    elsewhere = JsonClient(room.other_ta)
    assert elsewhere.get(url).status_code == 404
    assert elsewhere.post(url + "/grades", body).status_code == 404
    assert elsewhere.get(f"/orgs/{room.org.slug}/grading-queue").json() == []
    grader = JsonClient(room.grader_ta)
    [entry] = grader.get(f"/orgs/{room.org.slug}/grading-queue").json()
    assert (entry["submission_id"], entry["target_hours"], entry["past_target"]) == (
        submission.pk,
        48,
        False,
    )
    graded = grader.post(url + "/grades", body)
    assert graded.status_code == 201
    history = graded.json()["history"]
    assert [(g["final_points"], g["comment_html"]) for g in history] == [
        ("10.00", "<p>Well done</p>")
    ]
    assert grader.get(f"/orgs/{room.org.slug}/grading-queue").json() == []
    returned = JsonClient(room.learner).get(mine(room)).json()["submissions"][0]["grade"]
    assert (returned["final_points"], returned["late_penalty_percent"]) == ("10.00", 0)
    assert [s["comment_html"] for s in returned["scores"]] == ["<p>Good</p>", "<p>Good</p>"]


def test_an_author_creates_and_edits_an_assignment_and_a_learner_may_not(room: Classroom) -> None:
    module = room.assignment.unit.module
    body = {
        "title": "Reflection",
        "instructions": "Reflect on **one** case.",
        "due_days_after_start": 14,
        "late_days": 2,
        "penalty_percent_per_day": 10,
        "penalty_max_percent": 30,
        "rubric": [{"title": "Depth", "levels": [{"title": "Deep", "points": 5}]}],
    }
    path = f"/orgs/{room.org.slug}/courses/{room.course.slug}/modules/{module.pk}/assignments"
    assert JsonClient(room.learner).post(path, body).status_code == 403
    assert JsonClient(room.grader_ta).post(path, body).status_code == 403
    made = JsonClient(room.instructor).post(path, body)
    assert made.status_code == 201
    assert made.json()["settings"]["due_days_after_start"] == 14
    assert made.json()["deadline"]["source"] == "not_started"
    assignment = Assignment.objects.get(unit__title="Reflection")
    both = body | {"due_at": "2027-01-10T17:00:00Z"}
    edit = f"/orgs/{room.org.slug}/courses/{room.course.slug}/units/{assignment.unit_id}/assignment"
    refused = JsonClient(room.instructor).put(edit, both)
    assert refused.status_code == 400
    assert "not both" in refused.json()["detail"]
    assignment.refresh_from_db()
    assert assignment.due_at is None


def test_an_instructor_grants_an_extension_and_the_learner_sees_it(room: Classroom) -> None:
    due = room.assignment.due_at
    assert due is not None
    new_due = (due + timedelta(days=3)).isoformat()
    path = mine(room) + f"/extensions/{room.learner.pk}"
    body = {"due_at": new_due, "reason": "Night shifts"}
    assert JsonClient(room.grader_ta).put(path, body).status_code == 403
    assert JsonClient(room.learner).put(path, body).status_code == 403
    assert Extension.objects.count() == 0
    granted = JsonClient(room.instructor).put(path, body)
    assert granted.status_code == 200
    assert granted.json()["reason"] == "Night shifts"
    deadline = JsonClient(room.learner).get(mine(room)).json()["deadline"]
    assert (deadline["source"], deadline["why"]) == (
        "extension",
        "Your instructor gave you an extension: Night shifts",
    )
    not_enrolled = JsonClient(room.instructor).put(
        mine(room) + f"/extensions/{room.grader_ta.pk}", body
    )
    assert not_enrolled.status_code == 404


def test_another_organizations_assignment_is_404(room: Classroom) -> None:
    elsewhere = build_classroom()
    api = JsonClient(room.admin)
    assert api.get(mine(elsewhere).replace(elsewhere.org.slug, room.org.slug)).status_code == 404
    assert api.get(mine(elsewhere)).status_code == 404
