"""Knowledge-check pages: autosave, submit and retry for learners; question authoring."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.learning.actions.knowledge_checks import save_answer, submit_attempt
from cadenza.learning.models import Answer, Attempt, Choice, Question, QuestionKind
from cadenza.orgs.models import Role
from tests.factories import make_user
from tests.learning.test_knowledge_checks_actions import (
    Check,
    build_check,
    choice_id,
    multiple,
    numeric,
    short_text,
    single,
)

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}  # extra WSGI environ for the client


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing is not under test here; the default hasher costs ~0.5 s per account."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_root_exists(settings: Any) -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; pages need only the folder."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def url(check: Check, name: str, *extra: int) -> str:
    unit = check.unit
    return reverse(name, args=[check.org.slug, unit.course.slug, unit.pk, *extra])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def written() -> tuple[int, int, int, int]:
    """What a refused request must leave alone."""
    return (
        Attempt.objects.count(),
        Answer.objects.count(),
        Statement.objects.count(),
        Question.objects.count(),
    )


# --- autosave --------------------------------------------------------------------------------


def test_autosave_saves_one_answer_and_says_saved() -> None:
    check = build_check()
    question = single(check.unit)
    fever = choice_id(question, "Fever")

    response = logged_in(check.learner).post(
        url(check, "check_answer", question.pk), {f"choice-{question.pk}": ["", str(fever)]}, **HTMX
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == "Saved"
    assert list(Answer.objects.values_list("question_id", "choice_ids")) == [(question.pk, [fever])]


def test_autosave_of_a_number_and_text_upserts() -> None:
    check = build_check()
    number, text = numeric(check.unit), short_text(check.unit)
    client = logged_in(check.learner)

    client.post(url(check, "check_answer", number.pk), {f"number-{number.pk}": "36"}, **HTMX)
    client.post(url(check, "check_answer", number.pk), {f"number-{number.pk}": " 36.9 "}, **HTMX)
    client.post(url(check, "check_answer", text.pk), {f"text-{text.pk}": "Sequential"}, **HTMX)

    answers = {a.question_id: (a.number, a.text) for a in Answer.objects.all()}
    assert answers == {number.pk: (Decimal("36.9"), ""), text.pk: (None, "Sequential")}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("choice", "foreign", "does not belong"),
        ("choice", "abc", "does not belong"),
        ("number", "twelve", "Enter a number"),
        ("number", "NaN", "Enter a number"),
        ("text", "x", "Choose among"),
    ],
)
def test_autosave_refuses_bad_input_with_400_and_writes_nothing(
    field: str, value: str, message: str
) -> None:
    check = build_check()
    question = single(check.unit)
    other = multiple(check.unit)
    if value == "foreign":
        value = str(choice_id(other, "Pulse"))
    if field == "number":
        question = numeric(check.unit)
    before = written()

    response = logged_in(check.learner).post(
        url(check, "check_answer", question.pk), {f"{field}-{question.pk}": value}, **HTMX
    )

    assert response.status_code == 400
    assert message in json.loads(response.content)["detail"]
    assert written() == before


def test_autosave_of_an_unknown_question_is_400() -> None:
    check = build_check()
    elsewhere = single(build_check(org=check.org).unit)
    before = written()

    response = logged_in(check.learner).post(
        url(check, "check_answer", elsewhere.pk), {f"choice-{elsewhere.pk}": ""}, **HTMX
    )

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "That question is not part of this knowledge check."
    }
    assert written() == before


def test_autosave_after_submitting_is_400() -> None:
    check = build_check()
    question = single(check.unit)
    submit_attempt(user=check.learner, unit=check.unit)
    before = written()

    response = logged_in(check.learner).post(
        url(check, "check_answer", question.pk),
        {f"choice-{question.pk}": str(choice_id(question, "Fever"))},
        **HTMX,
    )

    assert response.status_code == 400
    assert "Try again" in json.loads(response.content)["detail"]
    assert written() == before


def test_another_organizations_check_is_404_and_nothing_is_written() -> None:
    check = build_check()
    foreign = build_check()
    question = single(foreign.unit)
    before = written()

    client = logged_in(check.learner)
    in_their_org = client.post(
        url(foreign, "check_answer", question.pk), {f"choice-{question.pk}": ""}, **HTMX
    )
    by_id_in_mine = client.post(
        reverse(
            "check_answer",
            args=[check.org.slug, check.unit.course.slug, foreign.unit.pk, question.pk],
        ),
        {f"choice-{question.pk}": ""},
    )

    assert (in_their_org.status_code, by_id_in_mine.status_code) == (404, 404)
    assert written() == before


def test_staff_previewing_may_not_answer_or_submit() -> None:
    check = build_check()
    question = single(check.unit)
    client = logged_in(check.author)
    before = written()

    answer = client.post(url(check, "check_answer", question.pk), {f"choice-{question.pk}": ""})
    submitted = client.post(url(check, "check_submit"))
    retried = client.post(url(check, "check_retry"))

    assert (answer.status_code, submitted.status_code, retried.status_code) == (403, 403, 403)
    assert written() == before


def test_a_learner_not_enrolled_gets_404() -> None:
    check = build_check()
    question = single(check.unit)
    stranger = make_user(check.org, Role.LEARNER)
    before = written()

    response = logged_in(stranger).post(url(check, "check_submit"), {f"choice-{question.pk}": ""})

    assert response.status_code == 404
    assert written() == before


# --- submit and retry ------------------------------------------------------------------------


def test_whole_form_submit_without_javascript_saves_and_grades() -> None:
    check = build_check(max_attempts=3)
    q1, q2 = single(check.unit), numeric(check.unit)

    response = logged_in(check.learner).post(
        url(check, "check_submit"),
        {f"choice-{q1.pk}": ["", str(choice_id(q1, "Fever"))], f"number-{q2.pk}": "40"},
    )

    assert response.status_code == 302
    assert response["Location"] == url(check, "unit") + "#knowledge-check"
    attempt = Attempt.objects.get()
    assert (attempt.number, attempt.score_percent, attempt.passed) == (1, 50.0, False)
    assert dict(Answer.objects.values_list("question_id", "is_correct")) == {
        q1.pk: True,
        q2.pk: False,
    }


def test_submit_with_a_bad_answer_writes_nothing() -> None:
    check = build_check()
    q1, q2 = single(check.unit), numeric(check.unit)
    before = written()

    response = logged_in(check.learner).post(
        url(check, "check_submit"),
        {f"choice-{q1.pk}": str(choice_id(q1, "Fever")), f"number-{q2.pk}": "forty"},
    )

    assert response.status_code == 400
    assert "Enter a number" in response.content.decode()
    assert written() == before


def test_unit_page_shows_feedback_score_attempts_and_try_again() -> None:
    check = build_check(max_attempts=3)
    q1, q2 = single(check.unit), short_text(check.unit)
    client = logged_in(check.learner)
    client.post(url(check, "check_submit"), {f"choice-{q1.pk}": str(choice_id(q1, "Fever"))})

    html = client.get(url(check, "unit")).content.decode()

    assert "Score: 50% — not passed (pass mark 70%)" in html
    assert "Attempts: 1 of 3" in html
    assert html.count('class="feedback correct"') == 1
    assert html.count('class="feedback incorrect"') == 1
    assert "<strong>classic</strong>" in html
    assert f'data-question-id="{q1.pk}"' in html
    assert f'data-question-id="{q2.pk}"' in html
    assert "Try again" in html
    assert "Submit answers" not in html


def test_unit_page_keeps_saved_answers_on_reload() -> None:
    check = build_check()
    q1, q2 = single(check.unit), short_text(check.unit)
    fever = choice_id(q1, "Fever")
    save_answer(user=check.learner, unit=check.unit, question=q1, choice_ids=[fever])
    save_answer(user=check.learner, unit=check.unit, question=q2, text="Sequential")

    html = logged_in(check.learner).get(url(check, "unit")).content.decode()

    assert f'value="{fever}" data-choice-id="{fever}"\n                  checked' in html
    assert 'value="Sequential"' in html
    assert "Submit answers" in html
    assert "Attempts: 1 of unlimited" in html


def test_try_again_opens_the_next_attempt() -> None:
    check = build_check(max_attempts=2)
    single(check.unit)
    client = logged_in(check.learner)
    client.post(url(check, "check_submit"))

    response = client.post(url(check, "check_retry"))
    client.post(url(check, "check_submit"))
    refused = client.post(url(check, "check_retry"))

    assert response.status_code == 302
    assert list(Attempt.objects.values_list("number", flat=True)) == [1, 2]
    assert refused.status_code == 400
    assert "used all 2 attempts" in refused.content.decode()


# --- authoring -------------------------------------------------------------------------------


def test_author_adds_a_single_choice_question_through_the_form() -> None:
    check = build_check()
    client = logged_in(check.author)

    response = client.post(
        url(check, "check_question_new") + "?kind=single",
        {
            "prompt": "Which is a sign?",
            "explanation": "Because.",
            "choice_1": "Fever",
            "correct_1": "on",
            "choice_2": "",
            "correct_2": "on",
            "choice_3": "Freckles",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url(check, "check_questions")
    question = Question.objects.get()
    assert (question.kind, question.prompt, question.explanation) == (
        QuestionKind.SINGLE_CHOICE,
        "Which is a sign?",
        "Because.",
    )
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("Fever", True),
        ("Freckles", False),
    ]


def test_authoring_form_shows_rule_errors_and_creates_nothing() -> None:
    check = build_check()
    client = logged_in(check.author)

    response = client.post(
        url(check, "check_question_new") + "?kind=single",
        {"prompt": "Q", "choice_1": "A", "correct_1": "on", "choice_2": "B", "correct_2": "on"},
    )

    assert response.status_code == 200
    assert "Mark exactly one choice as correct." in response.content.decode()
    assert Question.objects.count() == 0


def test_author_adds_numeric_true_false_and_short_text_questions() -> None:
    check = build_check()
    client = logged_in(check.author)
    new = url(check, "check_question_new")

    client.post(new + "?kind=numeric", {"prompt": "N", "numeric_answer": "9.81"})
    client.post(new + "?kind=true_false", {"prompt": "T", "correct_answer": "false"})
    client.post(new + "?kind=short_text", {"prompt": "S", "accepted_answers": "a\n\n B \n"})

    numeric_q, tf_q, text_q = Question.objects.order_by("position")
    assert (numeric_q.numeric_answer, numeric_q.numeric_tolerance) == (Decimal("9.81"), Decimal(0))
    assert list(tf_q.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]
    assert text_q.accepted_answers == ["a", "B"]


def test_author_edits_moves_and_deletes_questions() -> None:
    check = build_check()
    first, second = single(check.unit, "First"), single(check.unit, "Second")
    client = logged_in(check.author)

    edit_form = client.get(url(check, "check_question_edit", first.pk)).content.decode()
    edited = client.post(
        url(check, "check_question_edit", first.pk),
        {"prompt": "First, edited", "choice_1": "Fever", "correct_1": "on", "choice_2": "Cold"},
    )
    moved = client.post(url(check, "check_question_move", second.pk), {"direction": "up"})
    deleted = client.post(url(check, "check_question_delete", first.pk))

    assert 'value="Freckles"' in edit_form
    assert (edited.status_code, moved.status_code, deleted.status_code) == (302, 302, 302)
    assert list(Question.objects.values_list("prompt", "position")) == [("Second", 0)]
    assert Choice.objects.filter(question_id=first.pk).count() == 0


def test_question_list_is_read_only_for_teaching_assistants() -> None:
    check = build_check()
    single(check.unit)
    ta = make_user(check.org, Role.TA)
    client = logged_in(ta)

    listing = client.get(url(check, "check_questions"))
    new = client.get(url(check, "check_question_new") + "?kind=single")

    assert listing.status_code == 200
    assert "Which is a sign of sepsis?" in listing.content.decode()
    assert "Add a question" not in listing.content.decode()
    assert new.status_code == 403


def test_learners_get_403_on_authoring_views_and_nothing_changes() -> None:
    check = build_check()
    question = single(check.unit)
    client = logged_in(check.learner)
    before = (written(), list(Question.objects.values_list("prompt", "position")))

    responses = [
        client.get(url(check, "check_questions")),
        client.post(url(check, "check_question_new") + "?kind=short_text", {"prompt": "X"}),
        client.post(url(check, "check_question_edit", question.pk), {"prompt": "Hacked"}),
        client.post(url(check, "check_question_move", question.pk), {"direction": "down"}),
        client.post(url(check, "check_question_delete", question.pk)),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403]
    assert (written(), list(Question.objects.values_list("prompt", "position"))) == before


def test_authoring_another_organizations_question_is_404() -> None:
    check = build_check()
    foreign = build_check()
    question = single(foreign.unit)
    client = logged_in(check.author)

    response = client.post(
        reverse(
            "check_question_delete",
            args=[check.org.slug, check.unit.course.slug, check.unit.pk, question.pk],
        )
    )

    assert response.status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()
