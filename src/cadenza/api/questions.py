"""A knowledge check's questions for its authors: listing them with their right answers,
adding, editing, reordering and deleting them. The rules of each kind (one correct choice,
an accepted answer ...) are the actions'; a broken one is refused with 400."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import Body, CleanText, Name, PatchBody, Prose, StoredNumber, unset
from cadenza.api.common import ERRORS, member_context
from cadenza.api.knowledge_checks import find_check
from cadenza.api.unit_schemas import DirectionIn
from cadenza.courses.models import Unit
from cadenza.learning.actions import knowledge_checks as check_actions
from cadenza.learning.actions.knowledge_check_questions import MAX_CHOICES
from cadenza.learning.models import Question, QuestionKind
from cadenza.learning.selectors.knowledge_checks import (
    access_question,
    authored_questions,
    correct_answer_text,
    format_number,
    questions_of,
)
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext

router = Router(tags=["knowledge check questions"])

QUESTIONS = "/orgs/{org}/courses/{course}/units/{unit}/questions"
QUESTION = QUESTIONS + "/{question}"


class ChoiceIn(Body):
    text: Name = Field(max_length=500)
    correct: bool = False


class AuthoredChoiceOut(Schema):
    id: int
    text: str
    correct: bool


class QuestionOut(Schema):
    """A question with its right answer (``correct_answer`` in words), for authors."""

    id: int
    kind: QuestionKind
    position: int
    prompt: str
    explanation: str
    choices: list[AuthoredChoiceOut]
    numeric_answer: str | None = Field(description='As written, e.g. "9.81".')
    numeric_tolerance: str
    accepted_answers: list[str]
    correct_answer: str


Number = StoredNumber
Tolerance = StoredNumber
"""Not negative: the action refuses a negative tolerance (400)."""

AcceptedAnswer = Annotated[Name, Field(max_length=500)]


class QuestionIn(Body):
    """``choices`` for single/multiple choice (true/false: the correct one of "True" and
    "False" is enough), ``numeric_answer`` and ``numeric_tolerance`` for numeric questions,
    ``accepted_answers`` (case ignored) for short text."""

    kind: QuestionKind
    prompt: Prose = Field(description="Markdown.")
    explanation: CleanText = Field("", description="Markdown, shown after submitting.")
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=MAX_CHOICES)
    numeric_answer: Number | None = None
    numeric_tolerance: Tolerance = Decimal(0)
    accepted_answers: list[AcceptedAnswer] = Field(default_factory=list, max_length=50)


class QuestionPatch(PatchBody):
    """Only the fields sent change; the kind stays. ``choices`` replace all the choices."""

    prompt: Prose = unset(description="Markdown.")
    explanation: CleanText = unset(description="Markdown.")
    choices: list[ChoiceIn] = unset(max_length=MAX_CHOICES)
    numeric_answer: Number | None = None
    numeric_tolerance: Tolerance = unset()
    accepted_answers: list[AcceptedAnswer] = unset(max_length=50)


def _question_out(question: Question, correct_answer: str) -> QuestionOut:
    return QuestionOut(
        id=question.pk,
        kind=QuestionKind(question.kind),
        position=question.position,
        prompt=question.prompt,
        explanation=question.explanation,
        choices=[
            AuthoredChoiceOut(id=c.pk, text=c.text, correct=c.is_correct)
            for c in question.choices.all()
        ],
        numeric_answer=(
            format_number(question.numeric_answer) if question.numeric_answer is not None else None
        ),
        numeric_tolerance=format_number(question.numeric_tolerance),
        accepted_answers=list(question.accepted_answers),
        correct_answer=correct_answer,
    )


def _fresh(ctx: OrgContext, unit: Unit, question: Question) -> QuestionOut:
    """The question as saved, choices included."""
    saved = questions_of(ctx, unit=unit).get(pk=question.pk)
    return _question_out(saved, correct_answer_text(saved))


def _staff_check(
    request: HttpRequest,
    org: str,
    course: str,
    unit: int,
    permission: Permission = Permission.AUTHOR_COURSES,
) -> tuple[OrgContext, Unit]:
    ctx = member_context(request, org)
    ctx.require(permission)
    _course, found = find_check(ctx, course=course, unit=unit)
    return ctx, found


def _answer_fields(question: Question, patch: QuestionPatch) -> dict[str, Any]:
    """``edit_question``'s arguments: the question's current values, overridden by the patch."""
    current: dict[str, Any] = {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "choices": [(c.text, c.is_correct) for c in question.choices.all()],
        "numeric_answer": question.numeric_answer,
        "numeric_tolerance": question.numeric_tolerance,
        "accepted_answers": list(question.accepted_answers),
    }
    sent = patch.changes()
    if "choices" in sent:
        sent["choices"] = [(c.text, c.correct) for c in patch.choices]
    return current | sent


@router.get(QUESTIONS, response={200: list[QuestionOut], **ERRORS})
def list_questions(request: HttpRequest, org: str, course: str, unit: int) -> list[QuestionOut]:
    """The check's questions in order with their right answers (staff)."""
    ctx, found = _staff_check(request, org, course, unit, Permission.VIEW_DRAFTS)
    return [_question_out(q, answer) for q, answer in authored_questions(ctx, unit=found)]


@router.post(QUESTIONS, response={201: QuestionOut, **ERRORS})
def create_question(
    request: HttpRequest, org: str, course: str, unit: int, payload: QuestionIn
) -> Status[QuestionOut]:
    """Add a question at the end of the check (authors)."""
    ctx, found = _staff_check(request, org, course, unit)
    question = check_actions.add_question(
        unit=found,
        kind=payload.kind,
        prompt=payload.prompt,
        explanation=payload.explanation,
        choices=[(c.text, c.correct) for c in payload.choices],
        numeric_answer=payload.numeric_answer,
        numeric_tolerance=payload.numeric_tolerance,
        accepted_answers=payload.accepted_answers,
    )
    return Status(201, _fresh(ctx, found, question))


@router.patch(QUESTION, response={200: QuestionOut, **ERRORS})
def patch_question(
    request: HttpRequest, org: str, course: str, unit: int, question: int, payload: QuestionPatch
) -> QuestionOut:
    """Change a question's prompt, explanation or answer (authors); its kind stays."""
    ctx, found = _staff_check(request, org, course, unit)
    asked = access_question(ctx, unit=found, question_id=question)
    check_actions.edit_question(question=asked, **_answer_fields(asked, payload))
    return _fresh(ctx, found, asked)


@router.delete(QUESTION, response={204: None, **ERRORS})
def remove_question(
    request: HttpRequest, org: str, course: str, unit: int, question: int
) -> Status[None]:
    """Delete a question and the answers given to it (authors)."""
    ctx, found = _staff_check(request, org, course, unit)
    check_actions.delete_question(question=access_question(ctx, unit=found, question_id=question))
    return Status(204, None)


@router.post(QUESTION + "/move", response={200: QuestionOut, **ERRORS})
def move_question(
    request: HttpRequest, org: str, course: str, unit: int, question: int, payload: DirectionIn
) -> QuestionOut:
    """Swap a question with its neighbour above or below (authors)."""
    ctx, found = _staff_check(request, org, course, unit)
    asked = access_question(ctx, unit=found, question_id=question)
    check_actions.move_question(question=asked, direction=payload.direction)
    return _fresh(ctx, found, asked)
