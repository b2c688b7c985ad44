"""Writes to knowledge checks: learners' attempts and answers (authoring is re-exported from
``knowledge_check_questions`` so callers find every knowledge-check write here).

Answers are saved on the server as the learner gives them (DESIGN section 4, "Nothing
lost"); nothing is recorded in the learning record until the attempt is submitted, when one
"answered" statement per question and one "passed"/"failed" statement for the attempt are
written with keys derived from the attempt, so a retried submit writes nothing new.

Attempt rules: the first answer opens attempt 1; a submitted attempt is closed; a new one is
started explicitly ("Try again") while attempts remain (``Unit.max_attempts``, empty for
unlimited) and the check has not been passed. Once passed, the check is closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Unit
from cadenza.learning.actions.knowledge_check_questions import (
    ONE_CORRECT_KINDS,
    InvalidQuestion,
    KnowledgeCheckError,
    add_question,
    delete_question,
    edit_question,
    move_question,
)
from cadenza.learning.actions.progress import complete_unit, unit_object, visit_unit
from cadenza.learning.models import Answer, Attempt, Question, QuestionKind
from cadenza.learning.selectors.knowledge_checks import CHOICE_KINDS, new_attempt_refusal
from cadenza.lib.text import find_control_character, refusal_message

__all__ = [
    "AttemptNotAllowed",
    "GivenAnswer",
    "InvalidAnswer",
    "InvalidQuestion",
    "KnowledgeCheckError",
    "add_question",
    "delete_question",
    "edit_question",
    "is_answer_correct",
    "move_question",
    "save_answer",
    "start_new_attempt",
    "submit_attempt",
]

MAX_TEXT_ANSWER = 500
_SIX_PLACES = Decimal("0.000001")
_NUMBER_LIMIT = Decimal(10) ** 14


class InvalidAnswer(KnowledgeCheckError):
    """An answer that does not fit its question: a foreign choice, a second radio choice..."""


class AttemptNotAllowed(KnowledgeCheckError):
    """No attempt may be opened or changed: attempts used up, check passed, or submitted."""


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    """One question's answer as the learner gave it; only the field of its kind is set."""

    choice_ids: Sequence[int] | None = None
    text: str | None = None
    number: Decimal | None = None


@transaction.atomic
def save_answer(
    *,
    user: User,
    unit: Unit,
    question: Question,
    choice_ids: Sequence[int] | None = None,
    text: str | None = None,
    number: Decimal | None = None,
    now: datetime | None = None,
) -> Answer:
    """Save (or replace) the learner's answer to one question of the open attempt.

    Called as the learner chooses. Opens attempt 1 on the first answer; refuses with
    ``AttemptNotAllowed`` once the latest attempt is submitted (a new one is started with
    ``start_new_attempt``). An empty answer is saved as "not answered". Writes no statement.
    """
    now = now or timezone.now()
    given = _checked_answer(question, unit, GivenAnswer(choice_ids, text, number))
    attempt = _open_attempt(user=user, unit=unit, now=now)
    return _upsert_answer(attempt, question, given, now)


@transaction.atomic
def submit_attempt(
    *,
    user: User,
    unit: Unit,
    answers: Mapping[int, GivenAnswer] | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Grade the open attempt, record it, and complete the unit when it passes.

    ``answers`` (question id -> answer) are saved first, in the same transaction, for a form
    posted whole (no JavaScript). Unanswered questions count as wrong. When the latest attempt
    is already submitted, this returns it unchanged (a double submit is a no-op).
    """
    now = now or timezone.now()
    questions = list(Question.objects.filter(unit=unit).prefetch_related("choices"))
    if not questions:
        raise AttemptNotAllowed("This knowledge check has no questions yet.")
    latest = _latest_attempt(user=user, unit=unit, lock=True)
    if latest is not None and latest.submitted_at is not None:
        return latest
    by_id = {q.pk: q for q in questions}
    checked = []
    for question_id, given in (answers or {}).items():
        if question_id not in by_id:
            raise InvalidAnswer("That question is not part of this knowledge check.")
        checked.append((by_id[question_id], _checked_answer(by_id[question_id], unit, given)))
    attempt = latest or _open_attempt(user=user, unit=unit, now=now)
    for question, given in checked:
        _upsert_answer(attempt, question, given, now)
    return _grade_attempt(attempt, questions, unit=unit, user=user, now=now)


@transaction.atomic
def start_new_attempt(*, user: User, unit: Unit, now: datetime | None = None) -> Attempt:
    """Open the next attempt after a submitted one ("Try again").

    Returns the open attempt if there already is one (a double click opens one attempt).
    Refuses with ``AttemptNotAllowed`` when the check is passed or attempts are used up.
    """
    now = now or timezone.now()
    latest = _latest_attempt(user=user, unit=unit, lock=True)
    if latest is not None and latest.submitted_at is None:
        return latest
    _refuse_new_attempt(unit, latest)
    return _create_attempt(user=user, unit=unit, number=_next_number(latest), now=now)


def _refuse_new_attempt(unit: Unit, latest: Attempt | None) -> None:
    reason = new_attempt_refusal(unit, latest)
    if reason is not None:
        raise AttemptNotAllowed(reason)


def _latest_attempt(*, user: User, unit: Unit, lock: bool) -> Attempt | None:
    attempts = Attempt.objects.filter(user=user, unit=unit).order_by("-number")
    if lock:
        attempts = attempts.select_for_update()
    return attempts.first()


def _next_number(latest: Attempt | None) -> int:
    return 1 if latest is None else latest.number + 1


def _open_attempt(*, user: User, unit: Unit, now: datetime) -> Attempt:
    latest = _latest_attempt(user=user, unit=unit, lock=True)
    if latest is not None and latest.submitted_at is None:
        return latest
    if latest is not None:
        _refuse_new_attempt(unit, latest)
        raise AttemptNotAllowed(
            "This attempt is submitted; choose \u201cTry again\u201d to start a new one."
        )
    _refuse_new_attempt(unit, None)
    return _create_attempt(user=user, unit=unit, number=1, now=now)


def _create_attempt(*, user: User, unit: Unit, number: int, now: datetime) -> Attempt:
    """Create attempt ``number``; if a concurrent request just created it, use theirs."""
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                org_id=unit.org_id, user=user, unit=unit, number=number, started_at=now
            )
    except IntegrityError:
        attempt = Attempt.objects.select_for_update().get(user=user, unit=unit, number=number)
        if attempt.submitted_at is not None:
            raise AttemptNotAllowed("This attempt was just submitted.") from None
        return attempt


def _checked_answer(question: Question, unit: Unit, given: GivenAnswer) -> GivenAnswer:
    """The answer normalized for its question's kind; ``InvalidAnswer`` if it does not fit."""
    if question.unit_id != unit.pk:
        raise InvalidAnswer("That question is not part of this knowledge check.")
    kind = question.kind
    if kind in CHOICE_KINDS:
        if given.text is not None or given.number is not None:
            raise InvalidAnswer("Choose among the question's choices.")
        ids = list(dict.fromkeys(given.choice_ids or ()))
        if kind in ONE_CORRECT_KINDS and len(ids) > 1:
            raise InvalidAnswer("Choose only one answer to this question.")
        own = {choice.pk for choice in question.choices.all()}
        if not set(ids) <= own:
            raise InvalidAnswer("That choice does not belong to this question.")
        return GivenAnswer(choice_ids=sorted(ids))
    if given.choice_ids:
        raise InvalidAnswer("This question has no choices.")
    if kind == QuestionKind.NUMERIC:
        if given.text is not None:
            raise InvalidAnswer("Answer this question with a number.")
        if given.number is None:
            return GivenAnswer()
        if not given.number.is_finite() or abs(given.number) >= _NUMBER_LIMIT:
            raise InvalidAnswer("Enter a number (digits, with an optional decimal point).")
        return GivenAnswer(number=given.number.quantize(_SIX_PLACES))
    if given.number is not None:
        raise InvalidAnswer("Answer this question with text.")
    text = (given.text or "").strip()
    if len(text) > MAX_TEXT_ANSWER:
        raise InvalidAnswer(f"Keep the answer under {MAX_TEXT_ANSWER} characters.")
    # A short answer is one line; a control character (a NUL would fail on PostgreSQL) is
    # refused here, where the page's autosave, the submit and the API all pass.
    refused = find_control_character(text, allow_line_breaks=False)
    if refused is not None:
        raise InvalidAnswer(refusal_message(text, refused))
    return GivenAnswer(text=text)


def _upsert_answer(
    attempt: Attempt, question: Question, given: GivenAnswer, now: datetime
) -> Answer:
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt,
        question=question,
        defaults={
            "org_id": attempt.org_id,
            "choice_ids": list(given.choice_ids or []),
            "text": given.text or "",
            "number": given.number,
            "saved_at": now,
        },
    )
    return answer


def is_answer_correct(question: Question, answer: Answer | None) -> bool:
    """Whether ``answer`` is right (choices of ``question`` should be prefetched).

    Single choice and true/false: the chosen choice is correct. Multiple choice: exactly the
    correct set. Numeric: within the tolerance. Short text: any accepted answer, ignoring case
    and surrounding (and repeated) whitespace. No answer is wrong.
    """
    if answer is None:
        return False
    if question.kind in CHOICE_KINDS:
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        return bool(answer.choice_ids) and set(answer.choice_ids) == correct
    if question.kind == QuestionKind.NUMERIC:
        if answer.number is None or question.numeric_answer is None:
            return False
        return abs(answer.number - question.numeric_answer) <= question.numeric_tolerance
    given = _comparable(answer.text)
    return bool(given) and given in {_comparable(a) for a in question.accepted_answers}


def _comparable(text: str) -> str:
    return " ".join(text.split()).casefold()


def _response(question: Question, answer: Answer | None) -> str:
    """The xAPI ``result.response``: choice ids joined by "[,]", the number, or the text."""
    if answer is None:
        return ""
    if question.kind in CHOICE_KINDS:
        return "[,]".join(str(i) for i in answer.choice_ids)
    if question.kind == QuestionKind.NUMERIC:
        return "" if answer.number is None else format(answer.number.normalize(), "f")
    return answer.text


def _grade_attempt(
    attempt: Attempt, questions: Iterable[Question], *, unit: Unit, user: User, now: datetime
) -> Attempt:
    questions = list(questions)
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    unit_obj = unit_object(unit)
    correct_count = 0
    for question in questions:
        answer = answers.get(question.pk)
        correct = is_answer_correct(question, answer)
        correct_count += correct
        if answer is not None:
            answer.is_correct = correct
            answer.save(update_fields=["is_correct"])
        record(
            org=unit.org,
            actor=user,
            verb=Verb.ANSWERED,
            obj=question_object(question, unit),
            event_key=f"check-answered:{attempt.pk}:{question.pk}",
            result={"success": correct, "response": _response(question, answer)},
            context={"contextActivities": {"parent": [{"id": unit_obj.iri}]}},
            timestamp=now,
        )
    total = len(questions)
    attempt.score_percent = round(correct_count * 100 / total, 2)
    attempt.passed = attempt.score_percent >= unit.pass_mark_percent
    attempt.submitted_at = now
    attempt.save(update_fields=["score_percent", "passed", "submitted_at"])
    record(
        org=unit.org,
        actor=user,
        verb=Verb.PASSED if attempt.passed else Verb.FAILED,
        obj=unit_obj,
        event_key=f"check-submitted:{attempt.pk}",
        result={
            "score": {
                "scaled": round(correct_count / total, 4),
                "raw": correct_count,
                "min": 0,
                "max": total,
            },
            "success": attempt.passed,
            "completion": True,
        },
        context={"extensions": {"urn:cadenza:attempt": attempt.number}},
        timestamp=now,
    )
    if attempt.passed:
        complete_unit(user=user, unit=unit, now=now, score_percent=attempt.score_percent)
    else:
        _keep_best_score(user=user, unit=unit, score_percent=attempt.score_percent, now=now)
    return attempt


def _keep_best_score(*, user: User, unit: Unit, score_percent: float, now: datetime) -> None:
    """A failed attempt still counts toward the best score; the unit is not completed."""
    progress = visit_unit(user=user, unit=unit, now=now)
    if progress.best_score_percent is None or score_percent > progress.best_score_percent:
        progress.best_score_percent = score_percent
        progress.save(update_fields=["best_score_percent"])


def question_object(question: Question, unit: Unit) -> LearningObject:
    """A question as the object of an "answered" statement."""
    return LearningObject(
        type="question",
        id=str(question.pk),
        iri=f"urn:cadenza:{unit.org.slug}:question:{question.pk}",
        name=question.prompt,
    )
