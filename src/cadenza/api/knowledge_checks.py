"""A knowledge check as the learner takes it: the questions and my current attempt, saving
answers as I give them, submitting, and trying again.

The correct answers are never part of the payload while I may still answer or try again:
a question's ``feedback`` appears once the attempt is submitted, and its ``correct_answer``
only once the check is closed to me (passed, or attempts used up), as on the unit page.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cadenza.api.bodies import Body, CleanLine, StoredNumber
from cadenza.api.common import ERRORS, html, member_context
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.courses.selectors import access_course, access_unit, active_enrolment
from cadenza.learning.actions import knowledge_checks as check_actions
from cadenza.learning.actions.knowledge_check_questions import MAX_CHOICES
from cadenza.learning.actions.knowledge_checks import GivenAnswer
from cadenza.learning.models import Attempt, QuestionKind
from cadenza.learning.selectors.knowledge_checks import (
    CheckPage,
    QuestionOnPage,
    access_question,
    check_page,
    format_number,
)
from cadenza.orgs.selectors import OrgContext

router = Router(tags=["knowledge checks"])

CHECK = "/orgs/{org}/courses/{course}/units/{unit}/check"


class ChoiceOut(Schema):
    id: int
    text: str


class AnswerOut(Schema):
    """My saved answer: the field of the question's kind is set (``number`` as written)."""

    choice_ids: list[int]
    text: str
    number: str | None


class FeedbackOut(Schema):
    correct: bool
    explanation_html: str
    correct_answer: str | None = Field(
        description="None while I may try again: the answer is not given away."
    )


class CheckQuestionOut(Schema):
    id: int
    kind: QuestionKind
    prompt_html: str
    choices: list[ChoiceOut]
    answer: AnswerOut | None
    feedback: FeedbackOut | None


class AttemptOut(Schema):
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score_percent: float | None
    passed: bool | None


class CheckOut(Schema):
    """The check as I see it. ``attempt`` is the open one, else the latest submitted one.
    ``preview``: I am not enrolled (staff looking) and cannot answer."""

    pass_mark_percent: int
    attempts_used: int
    attempts_allowed: int | None
    best_score_percent: float | None
    submitted: bool
    may_answer: bool
    may_retry: bool
    closed_reason: str | None
    preview: bool
    attempt: AttemptOut | None
    questions: list[CheckQuestionOut]


class AnswerIn(Body):
    """One question's answer: ``choice_ids`` for choice and true/false questions, ``number``
    for numeric ones, ``text`` for short text. An empty list, empty text or a null number
    saves "not answered"."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    choice_ids: list[int] | None = Field(None, max_length=MAX_CHOICES)
    text: CleanLine | None = Field(None, max_length=500)
    number: StoredNumber | None = None

    @model_validator(mode="after")
    def _one_field_at_least(self) -> AnswerIn:
        if not self.model_fields_set:
            raise PydanticCustomError("no_answer", "Send the answer: choice_ids, text or number.")
        return self

    def given(self) -> GivenAnswer:
        return GivenAnswer(choice_ids=self.choice_ids, text=self.text, number=self.number)


QUESTION_ID = re.compile(r"^[1-9][0-9]{0,17}$")
"""A question id as a JSON key: a whole number from 1 that fits the database's column."""


class SubmitIn(Body):
    answers: dict[int, AnswerIn] = Field(
        default_factory=dict,
        description="Question id -> answer, saved before grading.",
        # JSON keys are text: say which text is a question id (the schema allowed any).
        json_schema_extra={"propertyNames": {"pattern": QUESTION_ID.pattern}},
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _keyed_by_question_id(cls, value: Any) -> Any:
        """The keys exactly as the schema says (pydantic alone would also take "+7", "007")."""
        if isinstance(value, dict):
            for key in value:
                if not (isinstance(key, str) and QUESTION_ID.fullmatch(key)):
                    raise PydanticCustomError(
                        "question_id",
                        "Answers are keyed by question id (a whole number from 1): "
                        "{key} is not one.",
                        {"key": repr(key)},
                    )
        return value


def _attempt(attempt: Attempt) -> AttemptOut:
    return AttemptOut(
        number=attempt.number,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        score_percent=attempt.score_percent,
        passed=attempt.passed,
    )


def _question(item: QuestionOnPage) -> CheckQuestionOut:
    answer = item.answer
    feedback = item.feedback
    return CheckQuestionOut(
        id=item.question.pk,
        kind=QuestionKind(item.question.kind),
        prompt_html=html(item.question.prompt),
        choices=[ChoiceOut(id=choice.pk, text=choice.text) for choice in item.choices],
        answer=AnswerOut(
            choice_ids=list(answer.choice_ids),
            text=answer.text,
            number=format_number(answer.number) if answer.number is not None else None,
        )
        if answer
        else None,
        feedback=FeedbackOut(
            correct=feedback.correct,
            explanation_html=html(feedback.explanation),
            correct_answer=feedback.correct_answer,
        )
        if feedback
        else None,
    )


def check_out(ctx: OrgContext, unit: Unit) -> CheckOut:
    """The check for ``ctx.user``, from the same selector as the unit page."""
    page = check_page(ctx=ctx, unit=unit)["check"]
    assert isinstance(page, CheckPage)
    return CheckOut(
        pass_mark_percent=page.pass_mark_percent,
        attempts_used=page.attempts_used,
        attempts_allowed=page.attempts_allowed,
        best_score_percent=page.best_score_percent,
        submitted=page.submitted,
        may_answer=page.may_answer,
        may_retry=page.may_retry,
        closed_reason=page.closed_reason,
        preview=page.preview,
        attempt=_attempt(page.attempt) if page.attempt else None,
        questions=[_question(item) for item in page.questions],
    )


def find_check(ctx: OrgContext, *, course: str, unit: int) -> tuple[Course, Unit]:
    """A knowledge-check unit ``ctx.user`` may open (404 for any other unit)."""
    found_course = access_course(ctx, slug=course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    if found.kind != UnitKind.KNOWLEDGE_CHECK:
        raise Http404("No such knowledge check.")
    return found_course, found


def _answering(request: HttpRequest, org: str, course: str, unit: int) -> tuple[OrgContext, Unit]:
    """The check, for a learner actively enrolled; staff previewing may look, not answer."""
    ctx = member_context(request, org)
    found_course, found = find_check(ctx, course=course, unit=unit)
    if active_enrolment(ctx, found_course) is None:
        raise PermissionDenied("Only learners enrolled in this course answer its checks.")
    return ctx, found


@router.get(CHECK, response={200: CheckOut, **ERRORS})
def get_check(request: HttpRequest, org: str, course: str, unit: int) -> CheckOut:
    """The questions with their choices, my current attempt, my answers and (once submitted)
    the feedback."""
    ctx = member_context(request, org)
    _course, found = find_check(ctx, course=course, unit=unit)
    return check_out(ctx, found)


@router.put(CHECK + "/answers/{question}", response={200: CheckQuestionOut, **ERRORS})
def save_answer(
    request: HttpRequest, org: str, course: str, unit: int, question: int, payload: AnswerIn
) -> CheckQuestionOut:
    """Save (or replace) my answer to one question, as I give it; the first answer opens
    attempt 1. Refused (400) once the attempt is submitted or for an answer that does not
    fit the question (another question's choice, two choices for a single-choice one ...)."""
    ctx, found = _answering(request, org, course, unit)
    asked = access_question(ctx, unit=found, question_id=question)
    given = payload.given()
    answer = check_actions.save_answer(
        user=ctx.user,
        unit=found,
        question=asked,
        choice_ids=given.choice_ids,
        text=given.text,
        number=given.number,
    )
    return _question(
        QuestionOnPage(question=asked, choices=list(asked.choices.all()), answer=answer)
    )


@router.post(CHECK + "/submit", response={200: CheckOut, **ERRORS})
def submit(request: HttpRequest, org: str, course: str, unit: int, payload: SubmitIn) -> CheckOut:
    """Save the answers sent, then grade the open attempt (unanswered questions are wrong);
    passing completes the unit. Submitting twice changes nothing."""
    ctx, found = _answering(request, org, course, unit)
    check_actions.submit_attempt(
        user=ctx.user,
        unit=found,
        answers={question: answer.given() for question, answer in payload.answers.items()},
    )
    return check_out(ctx, found)


@router.post(CHECK + "/retry", response={200: CheckOut, **ERRORS})
def retry(request: HttpRequest, org: str, course: str, unit: int) -> CheckOut:
    """Start my next attempt ("Try again"); refused (400) once passed or out of attempts."""
    ctx, found = _answering(request, org, course, unit)
    check_actions.start_new_attempt(user=ctx.user, unit=found)
    return check_out(ctx, found)
