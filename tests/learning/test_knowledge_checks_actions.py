"""Knowledge checks: authoring rules, autosaved answers, grading, attempts and the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Unit, UnitKind
from cadenza.learning.actions.knowledge_checks import (
    AttemptNotAllowed,
    GivenAnswer,
    InvalidAnswer,
    InvalidQuestion,
    add_question,
    delete_question,
    edit_question,
    move_question,
    save_answer,
    start_new_attempt,
    submit_attempt,
)
from cadenza.learning.models import (
    Answer,
    Attempt,
    Choice,
    ProgressStatus,
    Question,
    QuestionKind,
    UnitProgress,
)
from cadenza.learning.selectors.knowledge_checks import CheckPage, check_page
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import access_org
from tests.factories import enrol, make_course, make_module, make_org, make_unit, make_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing is not under test here; the default hasher costs ~0.5 s per account."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Check:
    """A published knowledge check, its author and an enrolled learner."""

    org: Organization
    unit: Unit
    learner: User
    author: User


def build_check(
    *, pass_mark_percent: int = 70, max_attempts: int | None = None, org: Organization | None = None
) -> Check:
    org = org or make_org()
    author = make_user(org, Role.INSTRUCTOR)
    learner = make_user(org, Role.LEARNER)
    course = make_course(org)
    module = make_module(course)
    unit = make_unit(
        module,
        UnitKind.KNOWLEDGE_CHECK,
        title="Sepsis check",
        pass_mark_percent=pass_mark_percent,
        max_attempts=max_attempts,
    )
    publish_course(course=course)
    enrol(course, learner)
    unit = Unit.objects.select_related("org", "course", "module").get(pk=unit.pk)
    return Check(org=org, unit=unit, learner=learner, author=author)


def single(unit: Unit, prompt: str = "Which is a sign of sepsis?") -> Question:
    return add_question(
        unit=unit,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt=prompt,
        explanation="Fever is a **classic** sign.",
        choices=[("Fever", True), ("Freckles", False), ("Yawning", False)],
    )


def multiple(unit: Unit) -> Question:
    return add_question(
        unit=unit,
        kind=QuestionKind.MULTIPLE_CHOICE,
        prompt="Which are vital signs?",
        choices=[("Pulse", True), ("Shoe size", False), ("Temperature", True)],
    )


def true_false(unit: Unit) -> Question:
    return add_question(
        unit=unit,
        kind=QuestionKind.TRUE_FALSE,
        prompt="Sepsis is always caused by a virus.",
        choices=[("False", True)],
    )


def numeric(unit: Unit) -> Question:
    return add_question(
        unit=unit,
        kind=QuestionKind.NUMERIC,
        prompt="Normal body temperature in degrees Celsius?",
        numeric_answer=Decimal("37"),
        numeric_tolerance=Decimal("0.5"),
    )


def short_text(unit: Unit) -> Question:
    return add_question(
        unit=unit,
        kind=QuestionKind.SHORT_TEXT,
        prompt="What does the S in qSOFA stand for?",
        accepted_answers=["Sequential", "sepsis-related"],
    )


def choice_id(question: Question, text: str) -> int:
    return Choice.objects.get(question=question, text=text).pk


def statement_count(user: User, verb: Verb) -> int:
    return Statement.objects.filter(actor=user, verb=verb.value).count()


def page_for(check: Check, user: User | None = None) -> CheckPage:
    ctx = access_org(user=user or check.learner, slug=check.org.slug)
    page = check_page(ctx=ctx, unit=check.unit)["check"]
    assert isinstance(page, CheckPage)
    return page


# --- grading ---------------------------------------------------------------------------------


def test_every_kind_is_graded_and_scored_to_two_decimals() -> None:
    check = build_check(pass_mark_percent=70)
    unit, learner = check.unit, check.learner
    q_single, q_multi, q_tf = single(unit), multiple(unit), true_false(unit)
    q_num, q_text = numeric(unit), short_text(unit)

    save_answer(
        user=learner, unit=unit, question=q_single, choice_ids=[choice_id(q_single, "Fever")]
    )
    save_answer(user=learner, unit=unit, question=q_multi, choice_ids=[choice_id(q_multi, "Pulse")])
    save_answer(user=learner, unit=unit, question=q_tf, choice_ids=[choice_id(q_tf, "False")])
    save_answer(user=learner, unit=unit, question=q_num, number=Decimal("37.5"))
    save_answer(user=learner, unit=unit, question=q_text, text="  SEQUENTIAL ")
    attempt = submit_attempt(user=learner, unit=unit, now=T0)

    assert attempt.score_percent == 80.0
    assert attempt.passed is True
    assert attempt.submitted_at == T0
    graded = dict(Answer.objects.values_list("question_id", "is_correct"))
    assert graded == {
        q_single.pk: True,
        q_multi.pk: False,
        q_tf.pk: True,
        q_num.pk: True,
        q_text.pk: True,
    }


def test_unanswered_questions_count_as_wrong_and_score_is_rounded() -> None:
    check = build_check(pass_mark_percent=50)
    q1, _q2, _q3 = single(check.unit), numeric(check.unit), short_text(check.unit)
    save_answer(
        user=check.learner, unit=check.unit, question=q1, choice_ids=[choice_id(q1, "Fever")]
    )

    attempt = submit_attempt(user=check.learner, unit=check.unit)

    assert attempt.score_percent == 33.33
    assert attempt.passed is False


@pytest.mark.parametrize(
    ("chosen", "correct"),
    [
        (["Pulse", "Temperature"], True),
        (["Pulse"], False),
        (["Pulse", "Temperature", "Shoe size"], False),
        ([], False),
    ],
)
def test_multiple_choice_is_right_only_with_exactly_the_correct_set(
    chosen: list[str], correct: bool
) -> None:
    check = build_check()
    question = multiple(check.unit)
    ids = [choice_id(question, text) for text in chosen]
    save_answer(user=check.learner, unit=check.unit, question=question, choice_ids=ids)

    attempt = submit_attempt(user=check.learner, unit=check.unit)

    assert attempt.score_percent == (100.0 if correct else 0.0)


@pytest.mark.parametrize(
    ("given", "correct"),
    [("36.5", True), ("37.5", True), ("37", True), ("37.500001", False), ("36.4", False)],
)
def test_numeric_answer_is_right_within_the_tolerance(given: str, correct: bool) -> None:
    check = build_check()
    question = numeric(check.unit)
    save_answer(user=check.learner, unit=check.unit, question=question, number=Decimal(given))

    attempt = submit_attempt(user=check.learner, unit=check.unit)

    assert Answer.objects.get().is_correct is correct
    assert attempt.score_percent == (100.0 if correct else 0.0)


@pytest.mark.parametrize(
    ("given", "correct"),
    [
        ("Sequential", True),
        ("  sepsis-related\t", True),
        ("SEQUENTIAL", True),
        ("Sequence", False),
        ("", False),
    ],
)
def test_short_text_matches_any_accepted_answer_ignoring_case_and_spaces(
    given: str, correct: bool
) -> None:
    check = build_check()
    question = short_text(check.unit)
    save_answer(user=check.learner, unit=check.unit, question=question, text=given)

    submit_attempt(user=check.learner, unit=check.unit)

    assert Answer.objects.get().is_correct is correct


# --- autosave --------------------------------------------------------------------------------


def test_saving_again_replaces_the_answer_and_records_nothing() -> None:
    check = build_check()
    question = single(check.unit)
    before = Statement.objects.count()

    save_answer(
        user=check.learner,
        unit=check.unit,
        question=question,
        choice_ids=[choice_id(question, "Freckles")],
    )
    save_answer(
        user=check.learner,
        unit=check.unit,
        question=question,
        choice_ids=[choice_id(question, "Fever")],
    )

    attempt = Attempt.objects.get()
    assert attempt.number == 1
    assert attempt.submitted_at is None
    assert list(Answer.objects.values_list("choice_ids", flat=True)) == [
        [choice_id(question, "Fever")]
    ]
    assert Statement.objects.count() == before


def test_a_choice_of_another_question_is_refused_and_nothing_is_written() -> None:
    check = build_check()
    question, other = single(check.unit), multiple(check.unit)

    with pytest.raises(InvalidAnswer, match="does not belong"):
        save_answer(
            user=check.learner,
            unit=check.unit,
            question=question,
            choice_ids=[choice_id(other, "Pulse")],
        )

    assert Attempt.objects.count() == 0
    assert Answer.objects.count() == 0


def test_two_choices_for_a_single_choice_question_are_refused() -> None:
    check = build_check()
    question = single(check.unit)
    ids = [choice_id(question, "Fever"), choice_id(question, "Freckles")]

    with pytest.raises(InvalidAnswer, match="only one"):
        save_answer(user=check.learner, unit=check.unit, question=question, choice_ids=ids)

    assert Answer.objects.count() == 0


def test_a_question_of_another_check_is_refused() -> None:
    check = build_check()
    other = build_check(org=check.org)
    foreign = single(other.unit)

    with pytest.raises(InvalidAnswer, match="not part of this knowledge check"):
        save_answer(
            user=check.learner,
            unit=check.unit,
            question=foreign,
            choice_ids=[choice_id(foreign, "Fever")],
        )

    assert Attempt.objects.count() == 0


def test_answers_in_a_submitted_attempt_cannot_change_until_a_new_attempt() -> None:
    check = build_check()
    question = single(check.unit)
    submit_attempt(user=check.learner, unit=check.unit)

    with pytest.raises(AttemptNotAllowed, match="Try again"):
        save_answer(
            user=check.learner,
            unit=check.unit,
            question=question,
            choice_ids=[choice_id(question, "Fever")],
        )

    assert Answer.objects.count() == 0


# --- attempts --------------------------------------------------------------------------------


def test_attempt_limit_is_enforced_and_a_refusal_writes_nothing() -> None:
    check = build_check(max_attempts=2)
    question = single(check.unit)
    wrong = [choice_id(question, "Yawning")]
    for _ in range(2):
        save_answer(user=check.learner, unit=check.unit, question=question, choice_ids=wrong)
        submit_attempt(user=check.learner, unit=check.unit)
        if Attempt.objects.count() < 2:
            start_new_attempt(user=check.learner, unit=check.unit)
    attempts, answers, statements = (
        Attempt.objects.count(),
        Answer.objects.count(),
        Statement.objects.count(),
    )

    with pytest.raises(AttemptNotAllowed, match="used all 2 attempts"):
        start_new_attempt(user=check.learner, unit=check.unit)
    with pytest.raises(AttemptNotAllowed, match="used all 2 attempts"):
        save_answer(user=check.learner, unit=check.unit, question=question, choice_ids=wrong)

    assert list(Attempt.objects.values_list("number", flat=True)) == [1, 2]
    assert (attempts, answers, statements) == (
        Attempt.objects.count(),
        Answer.objects.count(),
        Statement.objects.count(),
    )


def test_try_again_numbers_attempts_and_a_double_click_opens_one() -> None:
    check = build_check()
    single(check.unit)
    submit_attempt(user=check.learner, unit=check.unit)

    first = start_new_attempt(user=check.learner, unit=check.unit)
    second = start_new_attempt(user=check.learner, unit=check.unit)

    assert first.pk == second.pk
    assert list(Attempt.objects.values_list("number", "submitted_at")) == [
        (1, Attempt.objects.get(number=1).submitted_at),
        (2, None),
    ]


def test_a_passed_check_is_closed() -> None:
    check = build_check()
    question = single(check.unit)
    save_answer(
        user=check.learner,
        unit=check.unit,
        question=question,
        choice_ids=[choice_id(question, "Fever")],
    )
    submit_attempt(user=check.learner, unit=check.unit)

    with pytest.raises(AttemptNotAllowed, match="passed"):
        start_new_attempt(user=check.learner, unit=check.unit)

    assert Attempt.objects.count() == 1


def test_second_submit_of_the_same_attempt_is_a_no_op() -> None:
    check = build_check()
    q1, q2 = single(check.unit), numeric(check.unit)
    save_answer(
        user=check.learner, unit=check.unit, question=q1, choice_ids=[choice_id(q1, "Fever")]
    )

    first = submit_attempt(user=check.learner, unit=check.unit, now=T0)
    again = submit_attempt(
        user=check.learner,
        unit=check.unit,
        answers={q2.pk: GivenAnswer(number=Decimal(37))},
        now=T0 + timedelta(minutes=1),
    )

    assert again.pk == first.pk
    assert again.submitted_at == T0
    assert again.score_percent == 50.0
    assert Answer.objects.count() == 1
    assert statement_count(check.learner, Verb.ANSWERED) == 2
    assert statement_count(check.learner, Verb.FAILED) == 1
    assert statement_count(check.learner, Verb.PASSED) == 0
    assert (
        Statement.objects.filter(actor=check.learner).count() == 2 + 1 + 1 + 1
    )  # + registered, experienced


def test_submit_records_answered_per_question_and_the_score() -> None:
    check = build_check(pass_mark_percent=50)
    q1, q2 = single(check.unit), short_text(check.unit)
    save_answer(
        user=check.learner, unit=check.unit, question=q1, choice_ids=[choice_id(q1, "Fever")]
    )
    save_answer(user=check.learner, unit=check.unit, question=q2, text="nope")

    attempt = submit_attempt(user=check.learner, unit=check.unit)

    answered = {
        s.object_id: s.result
        for s in Statement.objects.filter(actor=check.learner, verb=Verb.ANSWERED.value)
    }
    assert answered == {
        str(q1.pk): {"success": True, "response": str(choice_id(q1, "Fever"))},
        str(q2.pk): {"success": False, "response": "nope"},
    }
    passed = Statement.objects.get(actor=check.learner, verb=Verb.PASSED.value)
    assert passed.object_id == str(check.unit.pk)
    assert passed.result == {
        "score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
        "success": True,
        "completion": True,
    }
    assert attempt.passed is True


def test_passing_completes_the_unit_with_the_score() -> None:
    check = build_check()
    question = single(check.unit)
    save_answer(
        user=check.learner,
        unit=check.unit,
        question=question,
        choice_ids=[choice_id(question, "Fever")],
    )

    submit_attempt(user=check.learner, unit=check.unit, now=T0)

    progress = UnitProgress.objects.get(user=check.learner, unit=check.unit)
    assert progress.status == ProgressStatus.COMPLETED
    assert progress.completed_at == T0
    assert progress.best_score_percent == 100.0
    assert statement_count(check.learner, Verb.COMPLETED) == 1


def test_failing_keeps_the_best_score_without_completing() -> None:
    check = build_check(pass_mark_percent=100)
    q1, q2, q3 = single(check.unit), numeric(check.unit), short_text(check.unit)
    save_answer(
        user=check.learner, unit=check.unit, question=q1, choice_ids=[choice_id(q1, "Fever")]
    )
    save_answer(user=check.learner, unit=check.unit, question=q2, number=Decimal(37))
    submit_attempt(user=check.learner, unit=check.unit)
    start_new_attempt(user=check.learner, unit=check.unit)
    save_answer(user=check.learner, unit=check.unit, question=q3, text="Sequential")
    submit_attempt(user=check.learner, unit=check.unit)

    progress = UnitProgress.objects.get(user=check.learner, unit=check.unit)
    assert list(Attempt.objects.values_list("score_percent", flat=True)) == [66.67, 33.33]
    assert progress.status == ProgressStatus.STARTED
    assert progress.best_score_percent == 66.67
    assert statement_count(check.learner, Verb.COMPLETED) == 0


def test_submitting_a_check_without_questions_is_refused() -> None:
    check = build_check()

    with pytest.raises(AttemptNotAllowed, match="no questions"):
        submit_attempt(user=check.learner, unit=check.unit)

    assert Attempt.objects.count() == 0


# --- authoring -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (QuestionKind.SINGLE_CHOICE, {"choices": [("A", True), ("B", True)]}, "exactly one"),
        (QuestionKind.SINGLE_CHOICE, {"choices": [("A", False), ("B", False)]}, "exactly one"),
        (QuestionKind.MULTIPLE_CHOICE, {"choices": [("A", True)]}, "at least two"),
        (QuestionKind.MULTIPLE_CHOICE, {"choices": [("A", False), ("B", False)]}, "at least one"),
        (QuestionKind.TRUE_FALSE, {"choices": []}, "exactly one"),
        (QuestionKind.TRUE_FALSE, {"choices": [("Maybe", True)]}, "only the choices"),
        (QuestionKind.NUMERIC, {}, "numeric answer"),
        (
            QuestionKind.NUMERIC,
            {"numeric_answer": Decimal(1), "numeric_tolerance": Decimal(-1)},
            "negative",
        ),
        (QuestionKind.SHORT_TEXT, {"accepted_answers": ["  ", ""]}, "accepted answer"),
        (QuestionKind.SHORT_TEXT, {"prompt": "  ", "accepted_answers": ["x"]}, "prompt"),
        (
            QuestionKind.MULTIPLE_CHOICE,
            {"choices": [(f"Sign {n}", n == 1) for n in range(1, 8)]},
            "at most 6 choices",
        ),
    ],
)
def test_authoring_rules_refuse_broken_questions(
    kind: QuestionKind, fields: dict[str, object], message: str
) -> None:
    check = build_check()
    arguments: dict[str, object] = {"prompt": "A question"} | fields

    with pytest.raises(InvalidQuestion, match=message):
        add_question(unit=check.unit, kind=kind, **arguments)  # type: ignore[arg-type]

    assert Question.objects.count() == 0
    assert Choice.objects.count() == 0


def test_questions_belong_to_knowledge_check_units_only() -> None:
    check = build_check()
    reading = make_unit(check.unit.module, UnitKind.READING)

    with pytest.raises(InvalidQuestion, match="knowledge-check units only"):
        add_question(unit=reading, kind=QuestionKind.SHORT_TEXT, prompt="Q", accepted_answers=["a"])

    assert Question.objects.count() == 0


def test_true_false_questions_get_both_choices() -> None:
    check = build_check()

    question = true_false(check.unit)

    assert list(question.choices.values_list("text", "is_correct", "position")) == [
        ("True", False, 0),
        ("False", True, 1),
    ]


def test_editing_keeps_choice_ids_and_positions_stay_dense() -> None:
    check = build_check()
    first, second, third = (
        single(check.unit, "One"),
        single(check.unit, "Two"),
        single(check.unit, "Three"),
    )
    fever = choice_id(first, "Fever")

    edit_question(
        question=first,
        prompt="One, reworded",
        choices=[("High fever", True), ("Freckles", False)],
    )
    move_question(question=third, direction="up")
    move_question(question=first, direction="up")
    delete_question(question=second)

    assert list(Choice.objects.filter(question=first).values_list("pk", "text")) == [
        (fever, "High fever"),
        (choice_id(first, "Freckles"), "Freckles"),
    ]
    assert list(Question.objects.filter(unit=check.unit).values_list("prompt", "position")) == [
        ("One, reworded", 0),
        ("Three", 1),
    ]


# --- the check page --------------------------------------------------------------------------


def test_feedback_reveals_the_correct_answer_only_once_no_attempt_remains() -> None:
    check = build_check(max_attempts=2)
    question = single(check.unit)
    submit_attempt(user=check.learner, unit=check.unit)

    open_page = page_for(check)
    start_new_attempt(user=check.learner, unit=check.unit)
    submit_attempt(user=check.learner, unit=check.unit)
    closed_page = page_for(check)

    feedback = open_page.questions[0].feedback
    assert feedback is not None
    assert (feedback.correct, feedback.correct_answer) == (False, None)
    assert (open_page.attempts_used, open_page.may_retry, open_page.may_answer) == (1, True, False)
    closed = closed_page.questions[0].feedback
    assert closed is not None
    assert (closed.correct, closed.correct_answer) == (False, "Fever")
    assert closed.explanation == question.explanation
    assert (closed_page.may_retry, closed_page.closed_reason) == (
        False,
        "You have used all 2 attempts.",
    )


def test_check_page_shows_saved_answers_and_staff_only_preview() -> None:
    check = build_check()
    question, number = single(check.unit), numeric(check.unit)
    fever = choice_id(question, "Fever")
    save_answer(user=check.learner, unit=check.unit, question=question, choice_ids=[fever])
    save_answer(user=check.learner, unit=check.unit, question=number, number=Decimal("36.80"))

    learner_page = page_for(check)
    staff_page = page_for(check, check.author)

    assert learner_page.questions[0].chosen_ids == frozenset({fever})
    assert learner_page.questions[1].value == "36.8"
    assert (learner_page.may_answer, learner_page.preview) == (True, False)
    assert (staff_page.may_answer, staff_page.preview, staff_page.attempt) == (False, True, None)


def _queries_for_page(questions: int) -> int:
    check = build_check()
    for n in range(questions):
        question = single(check.unit, f"Question {n}")
        save_answer(
            user=check.learner,
            unit=check.unit,
            question=question,
            choice_ids=[choice_id(question, "Fever")],
        )
    submit_attempt(user=check.learner, unit=check.unit)
    ctx = access_org(user=check.learner, slug=check.org.slug)
    with CaptureQueriesContext(connection) as queries:
        page = check_page(ctx=ctx, unit=check.unit)["check"]
        assert isinstance(page, CheckPage)
        assert len(page.questions) == questions
    return len(queries)


def test_check_page_query_count_does_not_grow_with_questions() -> None:
    # questions, their choices, attempts, the latest attempt's answers; a learner's enrolment
    # is not read again (access_unit let them in by it)
    assert _queries_for_page(3) == _queries_for_page(30) == 4


def test_check_page_asks_whether_staff_are_enrolled() -> None:
    check = build_check()
    single(check.unit, "Question 1")
    ctx = access_org(user=check.author, slug=check.org.slug)

    with CaptureQueriesContext(connection) as queries:
        page = check_page(ctx=ctx, unit=check.unit)["check"]

    assert isinstance(page, CheckPage)
    assert (page.preview, page.may_answer) == (True, False)
    # questions, choices, attempts (none, so no answers), the author's enrolment
    assert len(queries) == 4
