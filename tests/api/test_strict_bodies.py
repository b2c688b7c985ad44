"""Every API body is a declared JSON object: what it does not allow is a JSON 4xx and changes
nothing (never a 500, never HTML, never a partial write)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings

# Django's private helper for a masked CSRF token (as a browser sends it); django-stubs omits it.
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # type: ignore[attr-defined]

from cadenza.accounts.models import User
from cadenza.api.accounts import LOCALES
from cadenza.courses.models import Course, Module, Unit
from cadenza.learning.actions.knowledge_checks import add_question
from cadenza.learning.models import Answer, Attempt, Question, QuestionKind
from tests.api.conftest import API, Outline, People, api_as
from tests.factories import enrol

pytestmark = pytest.mark.django_db

COURSE = "/orgs/harbour/courses/sepsis"
NOT_AN_OBJECT = {"__all__": ["The body must be a JSON object with this operation's fields."]}


def send(user: User, method: str, path: str, raw: str) -> Any:
    """``raw`` as the body, exactly as written (JSON of any shape)."""
    call = getattr(api_as(user).client, method)
    return call(API + path, data=raw, content_type="application/json")


def test_a_null_prompt_is_refused_with_422_and_the_question_stays(
    people: People, outline: Outline
) -> None:
    question = add_question(
        unit=outline.units[2],
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which is a sign?",
        choices=[("Fever", True), ("Calm", False)],
    )

    response = api_as(people.instructor).patch(
        f"{COURSE}/units/{outline.units[2].pk}/questions/{question.pk}", {"prompt": None}
    )

    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errors"] == {"prompt": ["Input should be a valid string"]}
    question.refresh_from_db()
    assert question.prompt == "Which is a sign?"


def test_a_string_body_creates_no_course(people: People) -> None:
    response = send(people.instructor, "post", "/orgs/harbour/courses", '"AAA"')

    assert response.status_code == 422
    assert response.json()["errors"] == NOT_AN_OBJECT
    assert not Course.objects.exists()


def _state(outline: Outline, people: People) -> tuple[Any, ...]:
    course = Course.objects.get(pk=outline.course.pk)
    module = Module.objects.get(pk=outline.first.pk)
    unit = Unit.objects.get(pk=outline.units[0].pk)
    learner = User.objects.get(pk=people.learner.pk)
    return (
        (course.title, course.slug, course.summary, course.open_enrolment),
        (module.title, module.summary),
        (unit.title, unit.body, unit.estimated_minutes),
        (learner.display_name, learner.time_zone, learner.locale),
    )


@pytest.mark.parametrize("raw", ["[null, null]", "[]", '"AAA"', "null", "7", "true"])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("learner", "/me"),
        ("instructor", COURSE),
        ("instructor", "MODULE"),
        ("instructor", "UNIT"),
    ],
)
def test_a_body_that_is_not_an_object_is_refused_on_every_patch_and_changes_nothing(
    people: People, outline: Outline, who: str, path: str, raw: str
) -> None:
    path = path.replace("MODULE", f"{COURSE}/modules/{outline.first.pk}")
    path = path.replace("UNIT", f"{COURSE}/units/{outline.units[0].pk}")
    before = _state(outline, people)

    response = send(getattr(people, who), "patch", path, raw)

    assert response.status_code == 422
    assert response.json()["errors"] == NOT_AN_OBJECT
    assert _state(outline, people) == before


def test_a_list_body_neither_submits_nor_grades_the_attempt(
    people: People, outline: Outline
) -> None:
    check = outline.units[2]
    add_question(
        unit=check,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which is a sign?",
        choices=[("Fever", True), ("Calm", False)],
    )
    enrol(outline.course, people.learner)

    response = send(
        people.learner, "post", f"{COURSE}/units/{check.pk}/check/submit", "[null, null]"
    )

    assert response.status_code == 422
    assert response.json()["errors"] == NOT_AN_OBJECT
    assert not Attempt.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("key", ["+7", "007", "0", "-1", "7.0", " 7", "99999999999999999999"])
def test_answers_are_keyed_by_question_ids_as_the_schema_says(
    people: People, outline: Outline, key: str
) -> None:
    check = outline.units[2]
    add_question(
        unit=check,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which is a sign?",
        choices=[("Fever", True), ("Calm", False)],
    )
    enrol(outline.course, people.learner)

    response = send(
        people.learner,
        "post",
        f"{COURSE}/units/{check.pk}/check/submit",
        json.dumps({"answers": {key: {"text": "Fever"}}}),
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "answers": [
            f"Answers are keyed by question id (a whole number from 1): {key!r} is not one."
        ]
    }
    assert not Attempt.objects.exists()
    assert not Answer.objects.exists()


def test_an_undeclared_field_is_refused_and_nothing_is_created(people: People) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses", {"title": "Sepsis", "colour": "red"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"colour": ["Extra inputs are not permitted"]}
    assert not Course.objects.exists()


def test_an_empty_answer_body_is_refused_with_422_and_writes_nothing(
    people: People, outline: Outline
) -> None:
    check = outline.units[2]
    question = add_question(
        unit=check,
        kind=QuestionKind.SHORT_TEXT,
        prompt="Name a sign.",
        accepted_answers=["Fever"],
    )
    enrol(outline.course, people.learner)

    response = api_as(people.learner).put(
        f"{COURSE}/units/{check.pk}/check/answers/{question.pk}", {}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["Send the answer: choice_ids, text or number."]
    }
    assert (Attempt.objects.count(), Answer.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"title": "   "}, {"title": ["This field is required."]}),
        ({"title": "x" * 201}, {"title": ["Ensure this value has at most 200 characters."]}),
        ({"title": "Sepsis", "slug": "no spaces"}, {"slug": ["String should match pattern"]}),
    ],
)
def test_a_field_broken_by_the_schemas_rule_names_the_rule(
    people: People, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = api_as(people.instructor).post("/orgs/harbour/courses", body)

    assert response.status_code == 422
    got = response.json()["errors"]
    assert {field: [m.split(" '")[0] for m in ms] for field, ms in got.items()} == errors
    assert not Course.objects.exists()


def test_a_multipart_body_without_a_boundary_is_a_json_400(
    people: People, caplog: pytest.LogCaptureFixture
) -> None:
    client = api_as(people.instructor).client
    client.handler.enforce_csrf_checks = True  # the CSRF check reads the form: as a browser
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret

    response = client.post(
        f"{API}/orgs/harbour/courses",
        data=b"--x\r\n",
        content_type="multipart/form-data",
        headers={"X-CSRFToken": _mask_cipher_secret(secret)},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The multipart body cannot be read (a missing or broken boundary?)."
    }
    assert not [record for record in caplog.records if record.exc_info]
    assert not Course.objects.exists()


def test_every_operation_documents_its_refusals(people: People) -> None:
    schema = api_as(people.learner).client.get(f"{API}/openapi.json").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)


def test_every_body_refuses_undeclared_fields_in_the_schema(people: People) -> None:
    schema = api_as(people.learner).client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]

    def closed(ref_or_schema: dict[str, Any]) -> bool:
        if "$ref" in ref_or_schema:
            return closed(components[ref_or_schema["$ref"].rsplit("/", 1)[1]])
        if "oneOf" in ref_or_schema:
            return all(closed(option) for option in ref_or_schema["oneOf"])
        return ref_or_schema.get("additionalProperties") is False

    bodies = [
        (path, method, operation["requestBody"]["content"]["application/json"]["schema"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation and "application/json" in operation["requestBody"]["content"]
    ]
    assert len(bodies) == 49
    assert [(path, method) for path, method, body in bodies if not closed(body)] == []


def test_a_knowledge_check_answer_and_a_replay_answer_keep_their_own_schemas(
    people: People,
) -> None:
    """Two body classes of the same name used to share one schema component."""
    schema = api_as(people.learner).client.get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    check = f"{API}/orgs/{{org}}/courses/{{course}}/units/{{unit}}/check/answers/{{question}}"
    replay = f"{API}/orgs/{{org}}/live-sessions/{{session}}/replay/questions/{{question}}/answer"

    def fields(path: str, method: str) -> set[str]:
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
        return set(components[body["schema"]["$ref"].rsplit("/", 1)[1]]["properties"])

    assert fields(check, "put") == {"choice_ids", "text", "number"}
    assert fields(replay, "post") == {"answer"}


def test_the_languages_of_the_schema_are_the_sites() -> None:
    assert list(LOCALES) == [code for code, _name in settings.LANGUAGES]


def test_a_question_keeps_numbers_as_sent_and_refuses_what_it_cannot_store(
    people: People, outline: Outline
) -> None:
    path = f"{COURSE}/units/{outline.units[2].pk}/questions"
    base = {"kind": "numeric", "prompt": "Lactate threshold?"}
    client = api_as(people.instructor)

    as_text = client.post(path, {**base, "numeric_answer": "2.25"})
    as_number = client.post(path, {**base, "numeric_answer": 9.81})
    too_precise = client.post(path, {**base, "numeric_answer": "1.1234567"})
    too_large = client.post(path, {**base, "numeric_answer": 1e15})

    assert (as_text.status_code, as_number.status_code) == (201, 201)
    assert (as_text.json()["numeric_answer"], as_number.json()["numeric_answer"]) == (
        "2.25",
        "9.81",
    )
    assert (too_precise.status_code, too_large.status_code) == (422, 422)
    assert list(too_large.json()["errors"]) == ["numeric_answer"]
    assert Question.objects.count() == 2


def test_a_body_sent_as_json_text_is_parsed_as_json_only(people: People) -> None:
    response = send(people.learner, "patch", "/me", json.dumps({"display_name": "Lea B"}))

    assert response.status_code == 200
    assert response.json()["display_name"] == "Lea B"
