"""Reading knowledge checks: the learner's check page, and the questions authors manage.

``check_page`` runs a fixed number of queries (five) whatever the number of questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404

from cadenza.courses.models import Enrolment, EnrolmentStatus, Unit, UnitKind
from cadenza.learning.models import Answer, Attempt, Choice, Question, QuestionKind
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped

CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE}
)


@dataclass(frozen=True, slots=True)
class QuestionFeedback:
    """What the learner sees about one question once the attempt is submitted."""

    correct: bool
    explanation: str
    correct_answer: str | None
    """None while the learner may still try again (the answer is not given away)."""


@dataclass(frozen=True, slots=True)
class QuestionOnPage:
    """One question as the check form shows it, with the current attempt's answer."""

    question: Question
    choices: list[Choice]
    answer: Answer | None
    chosen_ids: frozenset[int] = field(default_factory=frozenset)
    feedback: QuestionFeedback | None = None

    @property
    def field_name(self) -> str:
        """The form field carrying this question's answer (its kind decides the name)."""
        kind = self.question.kind
        if kind in CHOICE_KINDS:
            return f"choice-{self.question.pk}"
        if kind == QuestionKind.NUMERIC:
            return f"number-{self.question.pk}"
        return f"text-{self.question.pk}"

    @property
    def input_type(self) -> str:
        """radio, checkbox, number or text."""
        kind = self.question.kind
        if kind == QuestionKind.MULTIPLE_CHOICE:
            return "checkbox"
        if kind in CHOICE_KINDS:
            return "radio"
        return "number" if kind == QuestionKind.NUMERIC else "text"

    @property
    def value(self) -> str:
        """The saved answer of a number or text question, as the input shows it."""
        if self.answer is None:
            return ""
        if self.question.kind == QuestionKind.NUMERIC:
            return format_number(self.answer.number)
        return self.answer.text


@dataclass(frozen=True, slots=True)
class CheckPage:
    """Everything the knowledge-check fragment shows, in the learner's words."""

    questions: list[QuestionOnPage]
    attempt: Attempt | None
    submitted: bool
    attempts_used: int
    attempts_allowed: int | None
    best_score_percent: float | None
    pass_mark_percent: int
    may_answer: bool
    may_retry: bool
    closed_reason: str | None
    preview: bool
    """Staff who are not enrolled see the check but cannot answer it."""


# The check's four reads, compiled once per process (cadenza.lib.compiled_query): the
# questions and their choices (the choices of the unit's questions, in the order
# ``prefetch_related`` gave them), the learner's attempts and the latest one's answers.
_QUESTIONS = CompiledQuery(
    Question,
    lambda org_id, unit_id: scoped(Question.objects.filter(unit_id=unit_id), org_id),
)
_CHOICES = CompiledQuery(
    Choice,
    lambda org_id, unit_id: scoped(Choice.objects.filter(question__unit_id=unit_id), org_id),
)
_ATTEMPTS = CompiledQuery(
    Attempt,
    lambda org_id, unit_id, user_id: scoped(
        Attempt.objects.filter(unit_id=unit_id, user_id=user_id), org_id
    ),
)
_ANSWERS = CompiledQuery(
    Answer,
    lambda org_id, attempt_id: scoped(Answer.objects.filter(attempt_id=attempt_id), org_id),
)


def check_page(*, ctx: OrgContext, unit: Unit) -> dict[str, object]:
    """The context of ``learning/knowledge_check.html`` for ``ctx.user``, under the key ``check``.

    The current attempt is the open one, else the latest submitted one. ``unit`` must come
    from ``access_unit``.
    """
    ids = {"org_id": ctx.org.pk, "unit_id": unit.pk}
    questions = _QUESTIONS.all(**ids)
    choices: dict[int, list[Choice]] = {question.pk: [] for question in questions}
    for choice in _CHOICES.all(**ids):
        choices[choice.question_id].append(choice)
    attempts = _ATTEMPTS.all(**ids, user_id=ctx.user.pk)
    latest = max(attempts, key=lambda a: a.number, default=None)
    answers: dict[int, Answer] = {}
    if latest is not None:
        answers = {a.question_id: a for a in _ANSWERS.all(org_id=ctx.org.pk, attempt_id=latest.pk)}
    # ``access_unit`` lets a person who may not view drafts in only through their active
    # enrolment, so theirs is not read again; staff may be previewing without one.
    enrolled = not ctx.may(Permission.VIEW_DRAFTS) or (
        scoped(
            Enrolment.objects.filter(
                course_id=unit.course_id, user=ctx.user, status=EnrolmentStatus.ACTIVE
            ),
            ctx.org,
        ).exists()
    )
    submitted = latest is not None and latest.submitted_at is not None
    refusal = new_attempt_refusal(unit, latest) if submitted else None
    reveal = submitted and refusal is not None
    scores = [a.score_percent for a in attempts if a.score_percent is not None]
    items = []
    for question in questions:
        answer = answers.get(question.pk)
        feedback = None
        if submitted:
            feedback = QuestionFeedback(
                correct=bool(answer is not None and answer.is_correct),
                explanation=question.explanation,
                correct_answer=(
                    correct_answer_text(question, choices=choices[question.pk]) if reveal else None
                ),
            )
        items.append(
            QuestionOnPage(
                question=question,
                choices=choices[question.pk],
                answer=answer,
                chosen_ids=frozenset(answer.choice_ids if answer else ()),
                feedback=feedback,
            )
        )
    page = CheckPage(
        questions=items,
        attempt=latest,
        submitted=submitted,
        attempts_used=0 if latest is None else latest.number,
        attempts_allowed=unit.max_attempts,
        best_score_percent=max(scores, default=None),
        pass_mark_percent=unit.pass_mark_percent,
        may_answer=enrolled and bool(questions) and not submitted,
        may_retry=enrolled and submitted and refusal is None,
        closed_reason=refusal,
        preview=not enrolled,
    )
    return {"check": page}


def new_attempt_refusal(unit: Unit, latest: Attempt | None) -> str | None:
    """Why no new attempt may start after ``latest`` (the newest attempt), or None if one may.

    Once passed, a check is closed; otherwise ``unit.max_attempts`` (None: unlimited) caps
    the attempts.
    """
    if latest is not None and latest.passed:
        return "You have passed this knowledge check."
    used = 0 if latest is None else latest.number
    if unit.max_attempts is not None and used >= unit.max_attempts:
        return f"You have used all {unit.max_attempts} attempts."
    return None


def questions_of(ctx: OrgContext, *, unit: Unit) -> QuerySet[Question]:
    """The unit's questions in order, with their choices (two queries)."""
    return scoped(Question.objects.filter(unit=unit), ctx.org).prefetch_related("choices")


def authored_questions(ctx: OrgContext, *, unit: Unit) -> list[tuple[Question, str]]:
    """The unit's questions with their right answer in words, for the authors' list."""
    return [(q, correct_answer_text(q)) for q in questions_of(ctx, unit=unit)]


def find_question(ctx: OrgContext, *, unit: Unit, question_id: int) -> Question | None:
    """One question of ``unit`` (with its choices), or None: for endpoints that answer an
    unknown question with 400 rather than 404."""
    return questions_of(ctx, unit=unit).filter(pk=question_id).first()


def access_question(ctx: OrgContext, *, unit: Unit, question_id: int) -> Question:
    """One question of a knowledge-check unit of the organization, or 404."""
    if unit.kind != UnitKind.KNOWLEDGE_CHECK:
        raise Http404("No such question.")
    question = find_question(ctx, unit=unit, question_id=question_id)
    if question is None:
        raise Http404("No such question.")
    return question


def correct_answer_text(question: Question, *, choices: list[Choice] | None = None) -> str:
    """The right answer in words: the correct choices, the number and tolerance, or the
    accepted answers (``choices``: the question's, in order, if read already; else they
    should be prefetched)."""
    if question.kind in CHOICE_KINDS:
        listed = question.choices.all() if choices is None else choices
        return ", ".join(c.text for c in listed if c.is_correct)
    if question.kind == QuestionKind.NUMERIC:
        answer = format_number(question.numeric_answer)
        if question.numeric_tolerance:
            return f"{answer} \u00b1 {format_number(question.numeric_tolerance)}"
        return answer
    return " or ".join(question.accepted_answers)


def format_number(value: Decimal | None) -> str:
    """A stored decimal without trailing zeros: 9.810000 -> "9.81", 100.000000 -> "100"."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
