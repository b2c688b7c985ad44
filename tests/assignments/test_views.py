"""The assignment pages: the learner's (deadline, autosaved draft, file, submit, feedback)
and the staff's (setting up, deadlines and extensions, graders, the queue, grading)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.assignments import actions
from cadenza.assignments.actions import CriterionScore
from cadenza.assignments.models import (
    Assignment,
    CourseGrader,
    CourseGrading,
    Draft,
    Extension,
    Grade,
    StoredFile,
    Submission,
)
from cadenza.courses.models import UnitKind
from tests.assignments.conftest import PDF, Classroom, build_classroom, checked_pdf

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(room: Classroom, name: str = "assignment", **extra: object) -> str:
    return reverse(
        name,
        kwargs={
            "org_slug": room.org.slug,
            "course_slug": room.course.slug,
            "unit_id": room.assignment.unit_id,
            **extra,
        },
    )


def status_of(user: User, url: str) -> int:
    """The status of a GET, the response closed (a file response holds the file open)."""
    response = client_for(user).get(url)
    response.close()
    return response.status_code


def submit_for(room: Classroom, learner: User, text: str = "My essay") -> Submission:
    actions.save_draft(assignment=room.assignment, learner=learner, text=text)
    return actions.submit(assignment=room.assignment, learner=learner, zone=ZoneInfo("UTC"))


def grade(room: Classroom, submission: Submission, by: User, comment: str = "") -> Grade:
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    return actions.grade_submission(
        submission=submission,
        scores=[
            CriterionScore(c.pk, c.levels.all()[0].pk, comment=f"Note on {c.title}")
            for c in criteria
        ],
        comment=comment,
        graded_by=by,
    )


def test_the_unit_page_of_an_assignment_leads_to_the_assignment_page(room: Classroom) -> None:
    url = reverse(
        "unit",
        kwargs={
            "org_slug": room.org.slug,
            "course_slug": room.course.slug,
            "unit_id": room.assignment.unit_id,
        },
    )
    response = client_for(room.learner).get(url)
    assert response.status_code == 302
    assert response["Location"] == page_url(room)


def test_the_learner_sees_their_deadline_in_their_zone_with_why_and_how_long_is_left(
    room: Classroom,
) -> None:
    response = client_for(room.learner).get(page_url(room))
    assert response.status_code == 200
    body = response.content.decode()
    due = room.assignment.due_at
    assert due is not None
    local = timezone.localtime(due, timezone=ZoneInfo("Europe/Berlin"))
    assert f"{local:%-d %b %Y, %H:%M} (Europe/Berlin)" in body
    assert "due in 2 days" in body
    assert "The course&#x27;s due date for everyone." in body
    assert "Write about <strong>one</strong> case." in body
    assert "Argument</strong>: Clear (4), Partly (2), Missing (0)" in body
    assert Statement.objects.filter(actor=room.learner, verb=Verb.EXPERIENCED.value).count() == 1


def test_a_learner_with_an_extension_sees_its_date_and_reason(room: Classroom) -> None:
    due = room.assignment.due_at
    assert due is not None
    actions.grant_extension(
        assignment=room.assignment,
        learner=room.learner,
        due_at=due + timedelta(days=5),
        reason="Night shifts this week",
        granted_by=room.instructor,
    )
    body = client_for(room.learner).get(page_url(room)).content.decode()
    assert "Your instructor gave you an extension: Night shifts this week" in body
    assert "due in 7 days" in body
    other = client_for(room.other_learner).get(page_url(room)).content.decode()
    assert "Night shifts" not in other
    assert "due in 2 days" in other


def test_the_draft_is_saved_as_the_learner_types(room: Classroom) -> None:
    response = client_for(room.learner).post(
        page_url(room, "assignment_draft"), {"text": "Half an essay"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    assert Draft.objects.get(learner=room.learner).text == "Half an essay"
    page = client_for(room.learner).get(page_url(room)).content.decode()
    assert ">Half an essay</textarea>" in page


def test_a_draft_with_a_control_character_is_refused_with_a_message_and_the_old_one_kept(
    room: Classroom,
) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Kept")
    response = client_for(room.learner).post(
        page_url(room, "assignment_draft"), {"text": "bad\x1bthing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "control character" in response.json()["detail"]
    assert Draft.objects.get().text == "Kept"


def test_a_pdf_is_attached_and_a_page_disguised_as_a_pdf_is_refused(room: Classroom) -> None:
    client = client_for(room.learner)
    disguised = SimpleUploadedFile(
        "essay.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    refused = client.post(page_url(room, "assignment_attach"), {"file": disguised})
    assert refused.status_code == 400
    assert "not a .pdf file" in refused.content.decode()
    assert StoredFile.objects.count() == 0
    good = SimpleUploadedFile("essay.pdf", PDF, content_type="text/html")
    assert client.post(page_url(room, "assignment_attach"), {"file": good}).status_code == 302
    stored = StoredFile.objects.get()
    assert (stored.content_type, stored.display_name) == ("application/pdf", "essay.pdf")


def test_a_file_over_the_limit_is_refused(room: Classroom, settings: object) -> None:
    settings.CADENZA_MAX_SUBMISSION_BYTES = 10  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("essay.pdf", PDF)
    response = client_for(room.learner).post(page_url(room, "assignment_attach"), {"file": upload})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert StoredFile.objects.count() == 0


def test_a_file_is_downloaded_as_an_attachment_only_by_its_learner_and_the_graders(
    room: Classroom,
) -> None:
    draft = actions.attach_file(
        assignment=room.assignment, learner=room.learner, upload=checked_pdf()
    )
    assert draft.file is not None
    url = page_url(room, "assignment_file", file_id=draft.file.pk)
    mine = client_for(room.learner).get(url)
    assert mine.status_code == 200
    assert mine["Content-Disposition"] == 'attachment; filename="essay.pdf"'
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert mine["Content-Type"] == "application/pdf"
    assert mine["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(mine.streaming_content) == PDF  # type: ignore[attr-defined]
    mine.close()
    # A draft is the learner's alone; once submitted the course's graders read it.
    for person in (room.other_learner, room.grader_ta, room.instructor, room.other_ta):
        assert status_of(person, url) == 404, person
    submit_for(room, room.learner)
    for person in (room.grader_ta, room.instructor, room.admin):
        assert status_of(person, url) == 200, person
    for person in (room.other_learner, room.other_ta):
        assert status_of(person, url) == 404, person


def test_submitting_from_the_page_saves_the_text_first_and_submits_it(room: Classroom) -> None:
    response = client_for(room.learner).post(
        page_url(room, "assignment_submit"), {"text": "Final words"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.learner, submission.text, submission.number) == (
        room.learner,
        "Final words",
        1,
    )
    page = client_for(room.learner).get(page_url(room)).content.decode()
    assert "Submission 1" in page
    assert "Waiting for feedback" in page
    assert "This assignment takes one submission, and yours is in." in page


def test_a_refused_submission_keeps_the_posted_text_as_the_draft() -> None:
    room = build_classroom(due_at=timezone.now() - timedelta(days=1))
    response = client_for(room.learner).post(
        page_url(room, "assignment_submit"), {"text": "Too late but kept"}
    )
    assert response.status_code == 400
    assert "submissions are closed" in response.content.decode()
    assert Submission.objects.count() == 0
    assert Draft.objects.get().text == "Too late but kept"


def test_staff_previewing_cannot_submit(room: Classroom) -> None:
    response = client_for(room.instructor).post(
        page_url(room, "assignment_submit"), {"text": "Staff"}
    )
    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_the_returned_grade_shows_levels_comments_and_the_late_penalty() -> None:
    room = build_classroom(
        due_at=timezone.now() - timedelta(hours=30),
        late_days=3,
        penalty_percent_per_day=10,
    )
    submission = submit_for(room, room.learner)
    assert submission.days_late == 2
    grade(room, submission, room.grader_ta, comment="Strong *argument*")
    body = client_for(room.learner).get(page_url(room)).content.decode()
    assert "Grade: <span data-final-points>8.00</span> of 10 points" in body
    assert "Late penalty: 20% (2.00 points) — 10 points before the penalty." in body
    assert "Note on Argument" in body
    assert "Strong <em>argument</em>" in body
    other = client_for(room.other_learner).get(page_url(room)).content.decode()
    assert "Note on Argument" not in other
    assert "Strong" not in other
    assert "My essay" not in other


def test_the_grading_queue_lists_waiting_work_longest_first_and_marks_it_past_the_target(
    room: Classroom,
) -> None:
    older = submit_for(room, room.learner)
    newer = submit_for(room, room.other_learner)
    Submission.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(hours=50))
    url = reverse("grading_queue", kwargs={"org_slug": room.org.slug})
    body = client_for(room.grader_ta).get(url).content.decode()
    assert body.index(f'data-submission="{older.pk}"') < body.index(f'data-submission="{newer.pk}"')
    assert body.count('class="queue-overdue"') == 1
    assert "past the 48 h target" in body
    assert "<strong data-overdue-count>1 past the turnaround target</strong>" in body
    elsewhere = client_for(room.other_ta).get(url).content.decode()
    assert "Nothing is waiting for a grade." in elsewhere
    assert "You grade no course yet." in elsewhere
    assert client_for(room.learner).get(url).status_code == 403


def test_the_turnaround_achieved_is_shown_per_course(room: Classroom) -> None:
    first = submit_for(room, room.learner)
    Submission.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(hours=10))
    first.refresh_from_db()
    grade(room, first, room.instructor)
    submit_for(room, room.other_learner)
    actions.set_turnaround_target(course=room.course, hours=24)
    url = reverse("grading_queue", kwargs={"org_slug": room.org.slug})
    body = client_for(room.instructor).get(url).content.decode()
    row = body[body.index(f'data-course="{room.course.slug}"') :]
    row = row[: row.index("</tr>")]
    cells = [part.split("<")[0] for part in row.split("<td>")[1:]]
    assert cells == ["24 h", "1", "10.0 h", "100%", "1"]


def test_grading_from_the_page_returns_the_grade_and_a_ta_of_another_course_gets_404(
    room: Classroom,
) -> None:
    submission = submit_for(room, room.learner)
    url = reverse(
        "submission_grade", kwargs={"org_slug": room.org.slug, "submission_id": submission.pk}
    )
    argument, sources = list(room.assignment.criteria.prefetch_related("levels"))
    form = {
        f"level-{argument.pk}": argument.levels.all()[1].pk,
        f"comment-{argument.pk}": "Half there",
        f"level-{sources.pk}": sources.levels.all()[0].pk,
        f"comment-{sources.pk}": "",
        "comment": "Overall fine",
    }
    assert client_for(room.other_ta).post(url, form).status_code == 404
    assert client_for(room.learner).post(url, form).status_code == 403
    assert client_for(room.other_learner).get(url).status_code == 403
    assert Grade.objects.count() == 0
    page = client_for(room.grader_ta).get(url)
    assert page.status_code == 200
    assert "My essay" in page.content.decode()
    response = client_for(room.grader_ta).post(url, form)
    assert response.status_code == 302
    grade_row = Grade.objects.get()
    assert (grade_row.points, grade_row.final_points, grade_row.graded_by) == (
        8,
        Decimal("8.00"),
        room.grader_ta,
    )
    assert grade_row.comment == "Overall fine"


def test_a_grade_without_a_level_is_a_form_error_and_nothing_is_written(room: Classroom) -> None:
    submission = submit_for(room, room.learner)
    url = reverse(
        "submission_grade", kwargs={"org_slug": room.org.slug, "submission_id": submission.pk}
    )
    response = client_for(room.instructor).post(url, {"comment": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Grade.objects.count() == 0


def test_an_instructor_adds_an_assignment_from_the_builder(room: Classroom) -> None:
    module = room.assignment.unit.module
    new_unit = reverse(
        "unit_new",
        kwargs={"org_slug": room.org.slug, "course_slug": room.course.slug, "module_id": module.pk},
    )
    client = client_for(room.instructor)
    redirect = client.get(new_unit + "?kind=assignment")
    assert redirect.status_code == 302
    response = client.post(
        redirect["Location"],
        {
            "title": "Reflection",
            "body": "Reflect.",
            "accepts_text": "on",
            "due_days_after_start": "14",
            "late_days": "2",
            "penalty_percent_per_day": "5",
            "penalty_max_percent": "15",
            "rubric": "Depth | Deep = 5 | Shallow = 1\nClarity | Clear = 3 | Unclear = 0",
        },
    )
    assert response.status_code == 302
    made = Assignment.objects.get(unit__title="Reflection")
    assert (made.unit.kind, made.due_days_after_start, made.late_days) == (
        UnitKind.ASSIGNMENT,
        14,
        2,
    )
    assert (made.penalty_percent_per_day, made.penalty_max_percent) == (5, 15)
    assert [
        (c.title, [(lv.title, lv.points) for lv in c.levels.all()])
        for c in made.criteria.prefetch_related("levels")
    ] == [("Depth", [("Deep", 5), ("Shallow", 1)]), ("Clarity", [("Clear", 3), ("Unclear", 0)])]


def test_a_rubric_line_that_does_not_parse_is_a_form_error(room: Classroom) -> None:
    response = client_for(room.instructor).post(
        page_url(room, "assignment_settings"),
        {
            "title": "Case essay",
            "accepts_text": "on",
            "late_days": "0",
            "penalty_percent_per_day": "0",
            "penalty_max_percent": "100",
            "rubric": "Depth | Deep five",
        },
    )
    assert response.status_code == 200
    assert "Line 1: “Deep five” is not a level" in response.content.decode()
    assert room.assignment.criteria.count() == 2


def test_the_instructor_grants_an_extension_on_the_deadlines_page(room: Classroom) -> None:
    url = page_url(room, "assignment_deadlines")
    due = timezone.localtime(room.assignment.due_at) + timedelta(days=4)
    form = {
        "learner": room.learner.pk,
        "due_at": due.strftime("%Y-%m-%dT%H:%M"),
        "reason": "Bereavement",
    }
    assert client_for(room.grader_ta).post(url, form).status_code == 403
    assert Extension.objects.count() == 0
    assert client_for(room.grader_ta).get(url).status_code == 200
    assert client_for(room.other_ta).get(url).status_code == 404
    response = client_for(room.instructor).post(url, form)
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.learner, extension.reason, extension.granted_by) == (
        room.learner,
        "Bereavement",
        room.instructor,
    )
    body = client_for(room.instructor).get(url).content.decode()
    assert "Your instructor gave you an extension: Bereavement" in body


def test_the_instructor_sets_the_turnaround_target_and_makes_a_ta_a_grader(
    room: Classroom,
) -> None:
    base = {"org_slug": room.org.slug, "course_slug": room.course.slug}
    client = client_for(room.instructor)
    response = client.post(reverse("course_grading", kwargs=base), {"turnaround_hours": "72"})
    assert response.status_code == 302
    assert CourseGrading.objects.get(course=room.course).turnaround_hours == 72
    add = reverse("course_grader", kwargs=base | {"person_id": room.other_ta.pk})
    assert client_for(room.grader_ta).post(add, {"grader": "add"}).status_code == 403
    assert client.post(add, {"grader": "add"}).status_code == 302
    assert CourseGrader.objects.filter(course=room.course).count() == 2
    not_a_ta = reverse("course_grader", kwargs=base | {"person_id": room.learner.pk})
    assert client.post(not_a_ta, {"grader": "add"}).status_code == 404
    assert CourseGrader.objects.filter(course=room.course).count() == 2


def test_mark_as_done_does_not_complete_an_assignment(room: Classroom) -> None:
    url = reverse(
        "unit_complete",
        kwargs={
            "org_slug": room.org.slug,
            "course_slug": room.course.slug,
            "unit_id": room.assignment.unit_id,
        },
    )
    response = client_for(room.learner).post(url)
    assert response.status_code == 400
    assert not Statement.objects.filter(verb=Verb.COMPLETED.value).exists()
