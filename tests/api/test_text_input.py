"""Text with control characters sent to the API is refused with a 422 naming the field and
the character, and nothing is stored (cadenza.lib.text's types in the API's bodies).

Before, a NUL in a title or a summary reached the database: stored by SQLite, a 500 from
PostgreSQL; ESC and the rest were stored as sent.
"""

from __future__ import annotations

import pytest

from cadenza.courses.models import Course
from tests.api.conftest import Outline, People, api_as

pytestmark = pytest.mark.django_db


def _refusal(what: str, position: int) -> str:
    return f"This text contains {what} at character {position}; remove it and try again."


def _message(code: str, position: int) -> str:
    return _refusal(f"an invisible control character ({code})", position)


def _line_break(code: str, position: int) -> str:
    return _refusal(f"a line break ({code})", position)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"title": "Sepsis\x1b[2J"}, {"title": [_message("U+001B ESC", 7)]}),
        (
            {"title": "Sepsis", "summary": "Early\x00 care"},
            {"summary": [_message("U+0000 NUL", 6)]},
        ),
    ],
)
def test_a_new_course_with_a_control_character_is_refused_and_nothing_stored(
    people: People, body: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = api_as(people.instructor).post("/orgs/harbour/courses", body)

    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert Course.objects.count() == 0


def test_a_course_title_may_not_hold_a_line_break_but_its_summary_may(
    people: People, outline: Outline
) -> None:
    client = api_as(people.instructor)

    refused = client.patch("/orgs/harbour/courses/sepsis", {"title": "Sepsis\nbasics"})
    kept = client.patch("/orgs/harbour/courses/sepsis", {"summary": "Early\n\tcare"})

    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "title": [
            "This text contains a line break (U+000A) at character 7; remove it and try again."
        ]
    }
    assert kept.status_code == 200
    outline.course.refresh_from_db()
    assert (outline.course.title, outline.course.summary) == ("Sepsis basics", "Early\n\tcare")


def test_my_name_with_a_control_character_is_refused_and_kept(people: People) -> None:
    response = api_as(people.learner).patch("/me", {"display_name": "Lea\x9b31m"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"display_name": [_message("U+009B", 4)]}
    people.learner.refresh_from_db()
    assert "\x9b" not in people.learner.display_name


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Sepsis\u2028basics", "U+2028"),
        ("Sepsis\u2029basics", "U+2029"),
        ("Sepsis\rbasics", "U+000D"),
    ],
)
def test_a_course_title_with_any_line_break_is_refused_and_nothing_changes(
    people: People, outline: Outline, title: str, code: str
) -> None:
    client = api_as(people.instructor)

    patched = client.patch("/orgs/harbour/courses/sepsis", {"title": title})
    created = client.post("/orgs/harbour/courses", {"title": title})

    assert (patched.status_code, created.status_code) == (422, 422)
    assert patched.json()["errors"] == created.json()["errors"] == {"title": [_line_break(code, 7)]}
    assert list(Course.objects.values_list("title", flat=True)) == ["Sepsis basics"]


def test_an_address_to_enrol_with_a_line_break_is_refused_and_nobody_enrolled(
    people: People, outline: Outline
) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/sepsis/enrolments",
        {"emails": ["new.nurse@example.org\u2028bcc@example.org"]},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {"emails.0": [_line_break("U+2028", 22)]}
    assert not outline.course.enrolments.exists()
