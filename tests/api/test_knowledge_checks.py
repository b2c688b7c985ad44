"""Knowledge checks through the API: taking one (answers saved as given, submit, retry)
and authoring its questions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cadenza.activity.models import Statement
from cadenza.learning.actions.knowledge_checks import add_question
from cadenza.learning.models import Answer, Attempt, Choice, Question, QuestionKind
from tests.api.conftest import Outline, People, api_as
from tests.factories import enrol

pytestmark = pytest.mark.django_db

COURSE = "/orgs/harbour/courses/sepsis"


@pytest.fixture
def questions(outline: Outline) -> list[Question]:
    """A single-choice and a numeric question on the check (pass mark 70 %, 2 attempts)."""
    check = outline.units[2]
    return [
        add_question(
            unit=check,
            kind=QuestionKind.SINGLE_CHOICE,
            prompt="Which is a *sign*?",
            explanation="Fever is.",
            choices=[("Fever", True), ("Calm", False)],
        ),
        add_question(
            unit=check,
            kind=QuestionKind.NUMERIC,
            prompt="Lactate threshold?",
            numeric_answer=Decimal(2),
            numeric_tolerance=Decimal("0.5"),
        ),
    ]


def check_url(outline: Outline) -> str:
    return f"{COURSE}/units/{outline.units[2].pk}/check"


def choice(question: Question, text: str) -> int:
    return Choice.objects.get(question=question, text=text).pk


def written() -> tuple[int, int, int]:
    return Attempt.objects.count(), Answer.objects.count(), Statement.objects.count()


def test_the_check_payload_never_holds_the_answers_while_open(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    single, numeric = questions
    client = api_as(people.learner)
    client.put(
        f"{check_url(outline)}/answers/{single.pk}", {"choice_ids": [choice(single, "Calm")]}
    )

    response = client.get(check_url(outline))

    assert response.status_code == 200
    body = response.json()
    assert body["questions"] == [
        {
            "id": single.pk,
            "kind": "single",
            "prompt_html": "<p>Which is a <em>sign</em>?</p>",
            "choices": [
                {"id": choice(single, "Fever"), "text": "Fever"},
                {"id": choice(single, "Calm"), "text": "Calm"},
            ],
            "answer": {"choice_ids": [choice(single, "Calm")], "text": "", "number": None},
            "feedback": None,
        },
        {
            "id": numeric.pk,
            "kind": "numeric",
            "prompt_html": "<p>Lactate threshold?</p>",
            "choices": [],
            "answer": None,
            "feedback": None,
        },
    ]
    assert (body["submitted"], body["may_answer"], body["may_retry"], body["preview"]) == (
        False,
        True,
        False,
        False,
    )
    assert body["attempt"]["number"] == 1
    raw = json.dumps(body)
    assert "correct" not in raw
    assert "Fever is." not in raw


def test_a_saved_answer_is_stored_as_given(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    numeric = questions[1]

    response = api_as(people.learner).put(
        f"{check_url(outline)}/answers/{numeric.pk}", {"number": 2.25}
    )

    assert response.status_code == 200
    assert response.json()["answer"] == {"choice_ids": [], "text": "", "number": "2.25"}
    assert response.json()["feedback"] is None
    assert Answer.objects.get().number == Decimal("2.25")
    assert Statement.objects.filter(verb__endswith="answered").count() == 0


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"choice_ids": [999999]}, "That choice does not belong to this question."),
        ({"text": "Fever"}, "Choose among the question's choices."),
    ],
)
def test_an_answer_that_does_not_fit_is_refused_with_400(
    people: People,
    outline: Outline,
    questions: list[Question],
    body: dict[str, object],
    detail: str,
) -> None:
    enrol(outline.course, people.learner)
    before = written()

    response = api_as(people.learner).put(f"{check_url(outline)}/answers/{questions[0].pk}", body)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert written() == before


def test_a_choice_of_another_question_is_refused(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    other = add_question(
        unit=outline.units[2],
        kind=QuestionKind.TRUE_FALSE,
        prompt="Sepsis is rare?",
        choices=[("False", True)],
    )
    before = written()

    response = api_as(people.learner).put(
        f"{check_url(outline)}/answers/{questions[0].pk}",
        {"choice_ids": [choice(other, "True")]},
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "That choice does not belong to this question."}
    assert written() == before


def test_submitting_grades_records_and_reveals_feedback_but_not_the_answer(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    single, _numeric = questions

    response = api_as(people.learner).post(
        f"{check_url(outline)}/submit",
        {"answers": {str(single.pk): {"choice_ids": [choice(single, "Fever")]}}},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["attempt"]["score_percent"] == 50.0
    assert body["attempt"]["passed"] is False
    assert (body["submitted"], body["may_retry"], body["closed_reason"]) == (True, True, None)
    assert [q["feedback"] for q in body["questions"]] == [
        {"correct": True, "explanation_html": "<p>Fever is.</p>", "correct_answer": None},
        {"correct": False, "explanation_html": "", "correct_answer": None},
    ]
    assert Statement.objects.filter(verb__endswith="answered").count() == 2
    assert Statement.objects.filter(verb__endswith="failed").count() == 1


def test_retrying_opens_the_next_attempt_and_the_last_one_reveals_answers(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    client = api_as(people.learner)
    client.post(f"{check_url(outline)}/submit")

    retried = client.post(f"{check_url(outline)}/retry")
    closed = client.post(f"{check_url(outline)}/submit").json()

    assert retried.status_code == 200
    assert (retried.json()["attempt"]["number"], retried.json()["may_answer"]) == (2, True)
    assert closed["closed_reason"] == "You have used all 2 attempts."
    assert [q["feedback"]["correct_answer"] for q in closed["questions"]] == ["Fever", "2 ± 0.5"]
    again = client.post(f"{check_url(outline)}/retry")
    assert again.status_code == 400
    assert again.json() == {"detail": "You have used all 2 attempts."}
    assert Attempt.objects.count() == 2


def test_answering_a_submitted_attempt_is_refused(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    client = api_as(people.learner)
    client.post(f"{check_url(outline)}/submit")
    before = written()

    response = client.put(f"{check_url(outline)}/answers/{questions[1].pk}", {"number": 2})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("This attempt is submitted")
    assert written() == before


def test_staff_see_a_preview_and_may_not_answer(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    client = api_as(people.instructor)

    preview = client.get(check_url(outline))
    answered = client.put(f"{check_url(outline)}/answers/{questions[1].pk}", {"number": 2})
    submitted = client.post(f"{check_url(outline)}/submit")

    assert (preview.json()["preview"], preview.json()["may_answer"]) == (True, False)
    assert (answered.status_code, submitted.status_code) == (403, 403)
    assert written() == (0, 0, 0)


def test_a_unit_that_is_not_a_check_answers_404(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)

    response = api_as(people.learner).get(f"{COURSE}/units/{outline.units[0].pk}/check")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such knowledge check."}


def test_another_organizations_question_answers_404(
    people: People, outline: Outline, foreign_outline: Outline, questions: list[Question]
) -> None:
    enrol(outline.course, people.learner)
    foreign = add_question(
        unit=foreign_outline.units[2],
        kind=QuestionKind.SHORT_TEXT,
        prompt="Foreign?",
        accepted_answers=["yes"],
    )
    before = written()

    answered = api_as(people.learner).put(
        f"{check_url(outline)}/answers/{foreign.pk}", {"text": "yes"}
    )
    edited = api_as(people.instructor).patch(
        f"{COURSE}/units/{outline.units[2].pk}/questions/{foreign.pk}", {"prompt": "Mine"}
    )
    foreign_check = api_as(people.learner).get(
        f"{COURSE}/units/{foreign_outline.units[2].pk}/check"
    )

    assert (answered.status_code, edited.status_code, foreign_check.status_code) == (404, 404, 404)
    assert answered.json() == {"detail": "No such question."}
    assert written() == before
    foreign.refresh_from_db()
    assert foreign.prompt == "Foreign?"


def test_authors_list_questions_with_their_answers(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    single, numeric = questions

    response = api_as(people.ta).get(f"{COURSE}/units/{outline.units[2].pk}/questions")

    assert response.status_code == 200
    assert response.json()[1] == {
        "id": numeric.pk,
        "kind": "numeric",
        "position": 1,
        "prompt": "Lactate threshold?",
        "explanation": "",
        "choices": [],
        "numeric_answer": "2",
        "numeric_tolerance": "0.5",
        "accepted_answers": [],
        "correct_answer": "2 ± 0.5",
    }
    assert response.json()[0]["choices"] == [
        {"id": choice(single, "Fever"), "text": "Fever", "correct": True},
        {"id": choice(single, "Calm"), "text": "Calm", "correct": False},
    ]


def test_authors_add_edit_move_and_delete_questions(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    client = api_as(people.instructor)
    base = f"{COURSE}/units/{outline.units[2].pk}/questions"

    added = client.post(
        base,
        {
            "kind": "multiple",
            "prompt": "Signs?",
            "choices": [
                {"text": "Fever", "correct": True},
                {"text": "Confusion", "correct": True},
                {"text": "Calm"},
            ],
        },
    )
    new_id = added.json()["id"]
    edited = client.patch(f"{base}/{new_id}", {"prompt": "Which signs?"})
    moved = client.post(f"{base}/{new_id}/move", {"direction": "up"})
    deleted = client.delete(f"{base}/{questions[0].pk}")

    assert added.status_code == 201
    assert added.json()["correct_answer"] == "Fever, Confusion"
    assert edited.json()["prompt"] == "Which signs?"
    assert [c["text"] for c in edited.json()["choices"]] == ["Fever", "Confusion", "Calm"]
    assert moved.json()["position"] == 1
    assert deleted.status_code == 204
    assert list(
        Question.objects.filter(unit=outline.units[2]).values_list("prompt", "position")
    ) == [("Which signs?", 0), ("Lactate threshold?", 1)]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            {"kind": "single", "prompt": "Q", "choices": [{"text": "A"}, {"text": "B"}]},
            400,
            "Mark exactly one choice as correct.",
        ),
        ({"kind": "short_text", "prompt": "Q"}, 400, "Give at least one accepted answer."),
        ({"kind": "essay", "prompt": "Q"}, 422, None),
        (
            {"kind": "multiple", "prompt": "Q", "choices": [{"text": str(n)} for n in range(7)]},
            422,
            None,
        ),
    ],
)
def test_a_question_that_breaks_its_kinds_rules_is_refused(
    people: People,
    outline: Outline,
    questions: list[Question],
    body: dict[str, object],
    status: int,
    detail: str | None,
) -> None:
    before = (Question.objects.count(), Choice.objects.count())

    response = api_as(people.instructor).post(
        f"{COURSE}/units/{outline.units[2].pk}/questions", body
    )

    assert response.status_code == status
    if detail is not None:
        assert response.json() == {"detail": detail}
    else:
        assert "errors" in response.json()
    assert (Question.objects.count(), Choice.objects.count()) == before


def test_learners_and_tas_may_not_author_questions(
    people: People, outline: Outline, questions: list[Question]
) -> None:
    base = f"{COURSE}/units/{outline.units[2].pk}/questions"
    enrol(outline.course, people.learner)
    for user in (people.learner, people.ta):
        client = api_as(user)
        statuses = [
            client.post(base, {"kind": "short_text", "prompt": "Q", "accepted_answers": ["a"]}),
            client.patch(f"{base}/{questions[0].pk}", {"prompt": "Changed"}),
            client.post(f"{base}/{questions[1].pk}/move", {"direction": "up"}),
            client.delete(f"{base}/{questions[0].pk}"),
        ]
        assert [r.status_code for r in statuses] == [403] * 4
    assert api_as(people.learner).get(base).status_code == 403
    assert list(Question.objects.values_list("prompt", "position")) == [
        ("Which is a *sign*?", 0),
        ("Lactate threshold?", 1),
    ]
