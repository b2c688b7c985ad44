"""Drafts, submitting, deadlines, extensions and grading, through the actions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.assignments import actions
from cadenza.assignments.actions import AssignmentError, CriterionScore
from cadenza.assignments.models import Draft, Extension, Grade, StoredFile, Submission
from cadenza.learning.models import ProgressStatus, UnitProgress
from tests.assignments.conftest import RUBRIC, Classroom, build_classroom, checked_pdf

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def statements(verb: Verb) -> list[Statement]:
    return list(Statement.objects.filter(verb=verb.value).order_by("timestamp"))


def full_marks(room: Classroom) -> list[CriterionScore]:
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    return [
        CriterionScore(criterion_id=c.pk, level_id=c.levels.all()[0].pk, comment=f"On {c.title}")
        for c in criteria
    ]


def test_a_draft_is_kept_as_the_learner_types_and_replaced_by_the_next_save(
    room: Classroom,
) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="First")
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="First lines")
    draft = Draft.objects.get()
    assert (draft.learner, draft.text) == (room.learner, "First lines")


def test_a_draft_longer_than_the_limit_is_refused_and_the_saved_one_kept(room: Classroom) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Kept")
    with pytest.raises(AssignmentError, match="too long"):
        actions.save_draft(assignment=room.assignment, learner=room.learner, text="x" * 100_001)
    assert Draft.objects.get().text == "Kept"


def test_a_file_only_assignment_refuses_text_and_a_text_only_one_refuses_files() -> None:
    files_only = build_classroom(accepts_text=False, accepts_file=True)
    with pytest.raises(AssignmentError, match="takes a file"):
        actions.save_draft(assignment=files_only.assignment, learner=files_only.learner, text="a")
    text_only = build_classroom(accepts_file=False)
    with pytest.raises(AssignmentError, match="not a file"):
        actions.attach_file(
            assignment=text_only.assignment, learner=text_only.learner, upload=checked_pdf()
        )
    assert Draft.objects.count() == 0
    assert StoredFile.objects.count() == 0


def test_an_attached_file_is_stored_under_the_data_dir_outside_the_media_root(
    room: Classroom,
) -> None:
    draft = actions.attach_file(
        assignment=room.assignment, learner=room.learner, upload=checked_pdf("My essay.pdf")
    )
    assert draft.file is not None
    stored = draft.file
    assert (stored.display_name, stored.content_type, stored.owner) == (
        "My essay.pdf",
        "application/pdf",
        room.learner,
    )
    path = Path(settings.CADENZA_SUBMISSIONS_DIR) / str(room.org.pk) / stored.storage_name
    assert path.read_bytes().startswith(b"%PDF-1.4")
    assert stored.storage_name.endswith(".pdf")
    assert "essay" not in stored.storage_name
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_submitting_copies_the_draft_records_submitted_and_completes_the_unit(
    room: Classroom,
) -> None:
    due = room.assignment.due_at
    assert due is not None
    now = due - timedelta(hours=3)
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="My essay")
    actions.attach_file(assignment=room.assignment, learner=room.learner, upload=checked_pdf())
    submission = actions.submit(
        assignment=room.assignment, learner=room.learner, zone=BERLIN, now=now
    )
    assert (submission.number, submission.text, submission.days_late) == (1, "My essay", 0)
    assert submission.file == Draft.objects.get().file
    assert submission.due_at == room.assignment.due_at
    [submitted] = statements(Verb.SUBMITTED)
    assert (submitted.actor, submitted.object_type, submitted.object_id) == (
        room.learner,
        "assignment",
        str(room.assignment.unit_id),
    )
    progress = UnitProgress.objects.get(user=room.learner, unit=room.assignment.unit)
    assert (progress.status, progress.completed_at) == (ProgressStatus.COMPLETED, now)
    assert len(statements(Verb.COMPLETED)) == 1


def test_an_empty_draft_cannot_be_submitted_and_nothing_is_recorded(room: Classroom) -> None:
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="   \n")
    with pytest.raises(AssignmentError, match="nothing to submit"):
        actions.submit(assignment=room.assignment, learner=room.learner, zone=BERLIN)
    assert Submission.objects.count() == 0
    assert statements(Verb.SUBMITTED) == []
    assert not UnitProgress.objects.filter(status=ProgressStatus.COMPLETED).exists()


def test_someone_not_enrolled_keeps_no_draft_and_cannot_submit(room: Classroom) -> None:
    with pytest.raises(AssignmentError, match="Only learners enrolled"):
        actions.save_draft(assignment=room.assignment, learner=room.instructor, text="Staff")
    with pytest.raises(AssignmentError, match="Only learners enrolled"):
        actions.attach_file(
            assignment=room.assignment, learner=room.instructor, upload=checked_pdf()
        )
    with pytest.raises(AssignmentError, match="Only learners enrolled"):
        actions.submit(assignment=room.assignment, learner=room.instructor, zone=BERLIN)
    assert Draft.objects.count() == 0
    assert StoredFile.objects.count() == 0
    assert Submission.objects.count() == 0


def test_late_work_is_taken_in_the_late_window_and_after_it_refused_with_the_draft_kept() -> None:
    room = build_classroom(late_days=2, penalty_percent_per_day=10, penalty_max_percent=25)
    due = room.assignment.due_at
    assert due is not None
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Late essay")
    actions.save_draft(assignment=room.assignment, learner=room.other_learner, text="Too late")
    with pytest.raises(AssignmentError, match="submissions are closed"):
        actions.submit(
            assignment=room.assignment,
            learner=room.other_learner,
            zone=BERLIN,
            now=due + timedelta(days=2, seconds=1),
        )
    assert Draft.objects.get(learner=room.other_learner).text == "Too late"
    late = actions.submit(
        assignment=room.assignment,
        learner=room.learner,
        zone=BERLIN,
        now=due + timedelta(hours=30),
    )
    assert late.days_late == 2
    assert Submission.objects.count() == 1


def test_resubmitting_is_refused_unless_allowed_and_then_only_until_the_due_date() -> None:
    once = build_classroom()
    actions.save_draft(assignment=once.assignment, learner=once.learner, text="v1")
    actions.submit(assignment=once.assignment, learner=once.learner, zone=BERLIN)
    with pytest.raises(AssignmentError, match="takes one submission"):
        actions.submit(assignment=once.assignment, learner=once.learner, zone=BERLIN)
    assert Submission.objects.filter(assignment=once.assignment).count() == 1

    again = build_classroom(allow_resubmission=True, late_days=3)
    due = again.assignment.due_at
    assert due is not None
    actions.save_draft(assignment=again.assignment, learner=again.learner, text="v1")
    actions.submit(assignment=again.assignment, learner=again.learner, zone=BERLIN)
    actions.save_draft(assignment=again.assignment, learner=again.learner, text="v2")
    second = actions.submit(assignment=again.assignment, learner=again.learner, zone=BERLIN)
    assert (second.number, second.text) == (2, "v2")
    with pytest.raises(AssignmentError, match="until the due date"):
        actions.submit(
            assignment=again.assignment,
            learner=again.learner,
            zone=BERLIN,
            now=due + timedelta(minutes=1),
        )
    assert [s.text for s in Submission.objects.filter(assignment=again.assignment)] == ["v1", "v2"]
    assert len(statements(Verb.SUBMITTED)) == 3  # once's one and again's two


def test_a_relative_deadline_is_counted_from_the_learners_enrolment() -> None:
    room = build_classroom(due_at=None, due_days_after_start=14, late_days=3)
    enrolled_at = room.learner.enrolments.get().enrolled_at
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Essay")
    submission = actions.submit(
        assignment=room.assignment,
        learner=room.learner,
        zone=BERLIN,
        now=enrolled_at + timedelta(days=15),
    )
    local = enrolled_at.astimezone(BERLIN)
    expected = (local.replace(tzinfo=None) + timedelta(days=14)).replace(tzinfo=BERLIN)
    assert submission.due_at == expected
    assert submission.days_late == 1


def test_an_extension_moves_one_learners_deadline_and_needs_a_reason(room: Classroom) -> None:
    due = room.assignment.due_at
    assert due is not None
    with pytest.raises(AssignmentError, match="reason"):
        actions.grant_extension(
            assignment=room.assignment,
            learner=room.learner,
            due_at=due + timedelta(days=3),
            reason="  ",
            granted_by=room.instructor,
        )
    with pytest.raises(AssignmentError, match="enrolled"):
        actions.grant_extension(
            assignment=room.assignment,
            learner=room.grader_ta,
            due_at=due + timedelta(days=3),
            reason="No",
            granted_by=room.instructor,
        )
    assert Extension.objects.count() == 0
    actions.grant_extension(
        assignment=room.assignment,
        learner=room.learner,
        due_at=due + timedelta(days=3),
        reason="Night shifts",
        granted_by=room.instructor,
    )
    for learner in (room.learner, room.other_learner):
        actions.save_draft(assignment=room.assignment, learner=learner, text="Essay")
    mine = actions.submit(
        assignment=room.assignment,
        learner=room.learner,
        zone=BERLIN,
        now=due + timedelta(days=2),
    )
    assert (mine.due_at, mine.days_late) == (due + timedelta(days=3), 0)
    with pytest.raises(AssignmentError, match="closed"):
        actions.submit(
            assignment=room.assignment,
            learner=room.other_learner,
            zone=BERLIN,
            now=due + timedelta(days=2),
        )


def test_settings_that_contradict_each_other_are_refused(room: Classroom) -> None:
    unit = room.assignment.unit
    with pytest.raises(AssignmentError, match="not both"):
        actions.edit_assignment(
            assignment=room.assignment,
            title="Changed",
            body="",
            settings=actions.AssignmentSettings(due_at=timezone.now(), due_days_after_start=3),
        )
    with pytest.raises(AssignmentError, match="a written answer, a file or both"):
        actions.edit_assignment(
            assignment=room.assignment,
            title="Changed",
            body="",
            settings=actions.AssignmentSettings(accepts_text=False, accepts_file=False),
        )
    unit.refresh_from_db()
    assert unit.title == "Case essay"


def _submitted(room: Classroom, *, days_late: int = 0) -> Submission:
    due = room.assignment.due_at
    assert due is not None
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="Essay")
    return actions.submit(
        assignment=room.assignment,
        learner=room.learner,
        zone=BERLIN,
        now=due + timedelta(hours=24 * days_late - 1) if days_late else due,
    )


def test_grading_applies_the_late_penalty_and_records_scored_for_the_learner() -> None:
    room = build_classroom(late_days=5, penalty_percent_per_day=10, penalty_max_percent=100)
    submission = _submitted(room, days_late=2)
    grade = actions.grade_submission(
        submission=submission,
        scores=full_marks(room),
        comment="Good work",
        graded_by=room.grader_ta,
    )
    assert (grade.points, grade.max_points, grade.late_penalty_percent) == (10, 10, 20)
    assert grade.final_points == Decimal("8.00")
    assert grade.graded_by == room.grader_ta
    assert [(s["title"], s["level_title"], s["points"], s["comment"]) for s in grade.scores] == [
        ("Argument", "Clear", 4, "On Argument"),
        ("Sources", "Cited", 6, "On Sources"),
    ]
    [scored] = statements(Verb.SCORED)
    assert scored.actor == room.learner
    assert scored.result["score"] == {"raw": 8.0, "min": 0, "max": 10, "scaled": 0.8}
    assert scored.context["instructor"]["mbox"] == f"mailto:{room.grader_ta.email}"
    submission.refresh_from_db()
    assert submission.graded_at == grade.graded_at == submission.returned_at


def test_regrading_appends_to_the_history_and_keeps_the_first_grade(room: Classroom) -> None:
    submission = _submitted(room)
    first = actions.grade_submission(
        submission=submission, scores=full_marks(room), comment="", graded_by=room.grader_ta
    )
    criteria = list(room.assignment.criteria.prefetch_related("levels"))
    lower = [CriterionScore(criterion_id=c.pk, level_id=c.levels.all()[1].pk) for c in criteria]
    later = timezone.now() + timedelta(hours=1)
    second = actions.grade_submission(
        submission=submission,
        scores=lower,
        comment="Regraded",
        graded_by=room.instructor,
        now=later,
    )
    assert list(Grade.objects.order_by("graded_at").values_list("pk", "final_points")) == [
        (first.pk, Decimal("10.00")),
        (second.pk, Decimal("2.00")),
    ]
    submission.refresh_from_db()
    assert (submission.returned_at, submission.graded_at) == (first.graded_at, later)
    assert len(statements(Verb.SCORED)) == 2


def test_a_grade_must_choose_a_level_of_each_criterion_and_nothing_is_written_otherwise(
    room: Classroom,
) -> None:
    submission = _submitted(room)
    argument, sources = list(room.assignment.criteria.prefetch_related("levels"))
    with pytest.raises(AssignmentError, match="Choose a level of “Sources”"):
        actions.grade_submission(
            submission=submission,
            scores=[CriterionScore(argument.pk, argument.levels.all()[0].pk)],
            comment="",
            graded_by=room.instructor,
        )
    with pytest.raises(AssignmentError, match="Choose a level of “Argument”"):
        actions.grade_submission(
            submission=submission,
            scores=[
                CriterionScore(argument.pk, sources.levels.all()[0].pk),
                CriterionScore(sources.pk, sources.levels.all()[0].pk),
            ],
            comment="",
            graded_by=room.instructor,
        )
    assert Grade.objects.count() == 0
    assert statements(Verb.SCORED) == []


def test_an_older_submission_is_not_graded_once_a_newer_one_is_in() -> None:
    room = build_classroom(allow_resubmission=True)
    first = _submitted(room)
    actions.save_draft(assignment=room.assignment, learner=room.learner, text="v2")
    actions.submit(assignment=room.assignment, learner=room.learner, zone=BERLIN)
    with pytest.raises(AssignmentError, match="grade the newest"):
        actions.grade_submission(
            submission=first, scores=full_marks(room), comment="", graded_by=room.instructor
        )
    assert Grade.objects.count() == 0


def test_the_rubric_is_kept_once_a_submission_is_graded(room: Classroom) -> None:
    submission = _submitted(room)
    actions.grade_submission(
        submission=submission, scores=full_marks(room), comment="", graded_by=room.instructor
    )
    with pytest.raises(AssignmentError, match="kept"):
        actions.set_rubric(assignment=room.assignment, criteria=RUBRIC[:1])
    assert room.assignment.criteria.count() == 2


def test_only_a_ta_of_the_organization_becomes_a_grader(room: Classroom) -> None:
    with pytest.raises(AssignmentError, match="teaching assistant"):
        actions.add_grader(course=room.course, user=room.learner, added_by=room.instructor)
    assert not room.course.graders.filter(user=room.learner).exists()
