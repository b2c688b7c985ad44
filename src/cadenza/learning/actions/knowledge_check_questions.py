"""Writes to a knowledge check's questions: adding, editing, deleting and reordering them.

Each kind has its rules (checked here, raised as ``InvalidQuestion`` with a message for the
author): single choice and true/false have exactly one correct choice, multiple choice at
least two choices and one correct, numeric an answer (and a tolerance >= 0), short text at
least one accepted answer. Positions stay dense (0, 1, 2 ...) within the unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from cadenza.courses.models import Unit, UnitKind
from cadenza.learning.models import Choice, Question, QuestionKind
from cadenza.learning.selectors.knowledge_checks import CHOICE_KINDS
from cadenza.lib.errors import DomainError

ONE_CORRECT_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.TRUE_FALSE})
TRUE_FALSE_TEXTS = ("True", "False")


# Enough for any fair question; the authoring form shows this many rows.
MAX_CHOICES = 6


class KnowledgeCheckError(DomainError):
    """A refused knowledge-check change; the message is shown to the person as it is."""


class InvalidQuestion(KnowledgeCheckError):
    """An authored question that breaks a rule of its kind (no correct choice, no answer...)."""


@transaction.atomic
def add_question(
    *,
    unit: Unit,
    kind: QuestionKind,
    prompt: str,
    explanation: str = "",
    choices: Sequence[tuple[str, bool]] = (),
    numeric_answer: Decimal | None = None,
    numeric_tolerance: Decimal = Decimal(0),
    accepted_answers: Sequence[str] = (),
) -> Question:
    """Append a question at the end of a knowledge-check unit.

    ``choices`` are (text, is_correct) pairs. A true/false question always gets the choices
    "True" and "False"; pass the correct one, e.g. ``[("False", True)]``.
    Raises ``InvalidQuestion`` when the question breaks a rule of its kind.
    """
    if unit.kind != UnitKind.KNOWLEDGE_CHECK:
        raise InvalidQuestion("Questions belong to knowledge-check units only.")
    kind = QuestionKind(kind)
    last = Question.objects.filter(unit=unit).aggregate(last=Max("position"))["last"]
    question = Question(
        org_id=unit.org_id, unit=unit, kind=kind, position=0 if last is None else last + 1
    )
    rows = _fill_question(
        question,
        prompt=prompt,
        explanation=explanation,
        choices=choices,
        numeric_answer=numeric_answer,
        numeric_tolerance=numeric_tolerance,
        accepted_answers=accepted_answers,
    )
    question.save()
    _replace_choices(question, rows)
    return question


@transaction.atomic
def edit_question(
    *,
    question: Question,
    prompt: str,
    explanation: str = "",
    choices: Sequence[tuple[str, bool]] = (),
    numeric_answer: Decimal | None = None,
    numeric_tolerance: Decimal = Decimal(0),
    accepted_answers: Sequence[str] = (),
) -> Question:
    """Change a question's text and answer (its kind stays). Same rules as ``add_question``.

    Choices are updated in place by position, so answers already given keep pointing at the
    same choice when only its wording changes. Submitted attempts keep their grades.
    """
    rows = _fill_question(
        question,
        prompt=prompt,
        explanation=explanation,
        choices=choices,
        numeric_answer=numeric_answer,
        numeric_tolerance=numeric_tolerance,
        accepted_answers=accepted_answers,
    )
    question.save()
    _replace_choices(question, rows)
    return question


@transaction.atomic
def delete_question(*, question: Question) -> None:
    """Remove a question (and the answers given to it); the others close the gap."""
    unit_id = question.unit_id
    question.delete()
    _renumber(list(Question.objects.select_for_update().filter(unit_id=unit_id)))


@transaction.atomic
def move_question(*, question: Question, direction: Literal["up", "down"]) -> Question:
    """Swap a question with its neighbour above or below; at either end nothing changes."""
    if direction not in ("up", "down"):
        raise InvalidQuestion("Move a question up or down.")
    ordered = list(Question.objects.select_for_update().filter(unit_id=question.unit_id))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    return next(q for q in ordered if q.pk == question.pk)


def _renumber(ordered: list[Question]) -> None:
    changed = []
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            changed.append(item)
    Question.objects.bulk_update(changed, ["position"])


def _fill_question(
    question: Question,
    *,
    prompt: str,
    explanation: str,
    choices: Sequence[tuple[str, bool]],
    numeric_answer: Decimal | None,
    numeric_tolerance: Decimal,
    accepted_answers: Sequence[str],
) -> list[tuple[str, bool]]:
    """Set the question's fields after checking the rules of its kind; returns its choices."""
    kind = question.kind
    question.prompt = prompt.strip()
    question.explanation = explanation.strip()
    if not question.prompt:
        raise InvalidQuestion("Write the question's prompt.")
    rows = [(text.strip(), bool(correct)) for text, correct in choices]
    if kind == QuestionKind.TRUE_FALSE:
        rows = _true_false_rows(rows)
    if kind in CHOICE_KINDS:
        if any(not text for text, _ in rows):
            raise InvalidQuestion("Every choice needs a text.")
        if len(rows) > MAX_CHOICES:
            raise InvalidQuestion(f"A question has at most {MAX_CHOICES} choices.")
        correct = sum(1 for _, is_correct in rows if is_correct)
        if kind == QuestionKind.MULTIPLE_CHOICE:
            if len(rows) < 2:
                raise InvalidQuestion("A multiple-choice question needs at least two choices.")
            if correct < 1:
                raise InvalidQuestion("Mark at least one choice as correct.")
        else:
            if len(rows) < 2:
                raise InvalidQuestion("A single-choice question needs at least two choices.")
            if correct != 1:
                raise InvalidQuestion("Mark exactly one choice as correct.")
    elif rows:
        raise InvalidQuestion("This kind of question has no choices.")
    question.numeric_answer = None
    question.numeric_tolerance = Decimal(0)
    question.accepted_answers = []
    if kind == QuestionKind.NUMERIC:
        if numeric_answer is None:
            raise InvalidQuestion("Give the numeric answer.")
        if numeric_tolerance < 0:
            raise InvalidQuestion("The tolerance cannot be negative.")
        question.numeric_answer = numeric_answer
        question.numeric_tolerance = numeric_tolerance
    if kind == QuestionKind.SHORT_TEXT:
        accepted = list(dict.fromkeys(a.strip() for a in accepted_answers if a.strip()))
        if not accepted:
            raise InvalidQuestion("Give at least one accepted answer.")
        question.accepted_answers = accepted
    try:
        question.full_clean(exclude=["unit", "org"])
    except ValidationError as error:
        raise InvalidQuestion(" ".join(error.messages)) from error
    return rows


def _true_false_rows(rows: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    given = {text.casefold(): correct for text, correct in rows}
    if set(given) - {t.casefold() for t in TRUE_FALSE_TEXTS}:
        raise InvalidQuestion('A true/false question has only the choices "True" and "False".')
    return [(text, given.get(text.casefold(), False)) for text in TRUE_FALSE_TEXTS]


def _replace_choices(question: Question, rows: list[tuple[str, bool]]) -> None:
    existing = list(Choice.objects.filter(question=question).order_by("position", "id"))
    for position, (text, is_correct) in enumerate(rows):
        if position < len(existing):
            choice = existing[position]
            choice.text, choice.is_correct, choice.position = text, is_correct, position
            choice.full_clean(exclude=["question", "org"])
            choice.save()
        else:
            choice = Choice(
                org_id=question.org_id,
                question=question,
                text=text,
                is_correct=is_correct,
                position=position,
            )
            choice.full_clean(exclude=["question", "org"])
            choice.save()
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(rows) :]]).delete()
