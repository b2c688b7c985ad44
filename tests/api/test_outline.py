"""A course's modules and units for its authors, through the API."""

from __future__ import annotations

import pytest

from cadenza.courses.models import Module, Unit, UnitKind
from tests.api.conftest import Outline, People, api_as

pytestmark = pytest.mark.django_db

COURSE = "/orgs/harbour/courses/sepsis"


def outline_state(outline: Outline) -> list[tuple[str, int, bool, list[tuple[str, int, bool]]]]:
    """Every module and unit of the course with position and state: what a refusal leaves."""
    return [
        (
            module.title,
            module.position,
            module.is_published,
            [(u.title, u.position, u.is_published) for u in module.units.order_by("position")],
        )
        for module in Module.objects.filter(course=outline.course).order_by("position")
    ]


def test_authors_add_a_draft_module_at_the_end(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(
        f"{COURSE}/modules", {"title": " Follow-up ", "summary": "Later"}
    )

    assert response.status_code == 201
    module = Module.objects.get(title="Follow-up")
    assert response.json() == {
        "id": module.pk,
        "title": "Follow-up",
        "summary": "Later",
        "position": 2,
        "published": False,
        "published_at": None,
    }


def test_a_module_without_a_title_is_refused_with_422(people: People, outline: Outline) -> None:
    before = outline_state(outline)

    response = api_as(people.instructor).post(f"{COURSE}/modules", {"title": ""})

    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["This field is required."]}
    assert outline_state(outline) == before


def test_authors_rename_move_publish_and_delete_a_module(people: People, outline: Outline) -> None:
    client = api_as(people.instructor)
    second = f"{COURSE}/modules/{outline.second.pk}"

    renamed = client.patch(second, {"title": "Treating sepsis"})
    moved = client.post(second + "/move", {"direction": "up"})
    withdrawn = client.post(second + "/publish", {"published": False})

    assert renamed.json()["title"] == "Treating sepsis"
    assert moved.json()["position"] == 0
    assert withdrawn.json()["published"] is False
    assert [(m[0], m[1], m[2]) for m in outline_state(outline)] == [
        ("Treating sepsis", 0, False),
        ("Recognising sepsis", 1, True),
    ]
    deleted = client.delete(second)
    assert deleted.status_code == 204
    assert [m[0] for m in outline_state(outline)] == ["Recognising sepsis"]


def test_a_bad_direction_is_refused_with_422(people: People, outline: Outline) -> None:
    before = outline_state(outline)

    response = api_as(people.instructor).post(
        f"{COURSE}/modules/{outline.second.pk}/move", {"direction": "sideways"}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["direction"]
    assert outline_state(outline) == before


def test_authors_add_a_reading_unit(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(
        f"{COURSE}/modules/{outline.second.pk}/units",
        {"kind": "reading", "title": "Fluids", "body": "Give *fluids*", "estimated_minutes": 7},
    )

    assert response.status_code == 201
    unit = Unit.objects.get(title="Fluids")
    assert response.json() == {
        "id": unit.pk,
        "module_id": outline.second.pk,
        "kind": "reading",
        "title": "Fluids",
        "position": 1,
        "published": False,
        "published_at": None,
        "body": "Give *fluids*",
        "estimated_minutes": 7,
        "video_url": "",
        "video_duration_seconds": None,
        "has_video_file": False,
        "resource_name": "",
        "pass_mark_percent": 70,
        "max_attempts": None,
    }


def test_authors_add_a_video_by_address_and_a_knowledge_check(
    people: People, outline: Outline
) -> None:
    client = api_as(people.instructor)
    units = f"{COURSE}/modules/{outline.second.pk}/units"

    video = client.post(
        units,
        {
            "kind": "video",
            "title": "Talk",
            "video_url": "https://videos.example.org/talk.mp4",
            "video_duration_seconds": 300,
        },
    )
    check = client.post(
        units,
        {"kind": "knowledge_check", "title": "Quiz", "pass_mark_percent": 80, "max_attempts": 3},
    )

    assert (video.status_code, check.status_code) == (201, 201)
    assert (video.json()["video_url"], video.json()["video_duration_seconds"]) == (
        "https://videos.example.org/talk.mp4",
        300.0,
    )
    assert (check.json()["pass_mark_percent"], check.json()["max_attempts"]) == (80, 3)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "reading", "title": "No body"}, "body"),
        ({"kind": "video", "title": "No address"}, "video_url"),
        ({"kind": "video", "title": "Plain", "video_url": "http://e.org/v.mp4"}, "video_url"),
        ({"kind": "knowledge_check", "title": "Q", "pass_mark_percent": 101}, "pass_mark_percent"),
        (
            {"kind": "reading", "title": "T", "body": "b", "estimated_minutes": 0},
            "estimated_minutes",
        ),
        ({"kind": "resource", "title": "A file"}, "kind"),
    ],
)
def test_a_unit_that_breaks_its_kinds_rules_is_refused_with_422(
    people: People, outline: Outline, body: dict[str, object], field: str
) -> None:
    before = outline_state(outline)

    response = api_as(people.instructor).post(f"{COURSE}/modules/{outline.second.pk}/units", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert outline_state(outline) == before


def test_authors_edit_only_the_unit_fields_sent(people: People, outline: Outline) -> None:
    video = outline.units[1]

    response = api_as(people.instructor).patch(
        f"{COURSE}/units/{video.pk}", {"title": "Lecture, recut", "video_duration_seconds": 120}
    )

    assert response.status_code == 200
    video.refresh_from_db()
    assert (video.title, video.video_url, video.video_duration_seconds, video.body) == (
        "Lecture, recut",
        "https://example.org/v.mp4",
        120.0,
        "",
    )


def test_unlimited_attempts_are_set_with_null(people: People, outline: Outline) -> None:
    check = outline.units[2]

    response = api_as(people.instructor).patch(f"{COURSE}/units/{check.pk}", {"max_attempts": None})

    assert response.json()["max_attempts"] is None
    check.refresh_from_db()
    assert check.max_attempts is None


def test_a_bad_unit_edit_saves_nothing(people: People, outline: Outline) -> None:
    reading = outline.units[0]

    response = api_as(people.instructor).patch(
        f"{COURSE}/units/{reading.pk}", {"title": "New", "body": ""}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "A reading needs its text: the body cannot be empty."}
    reading.refresh_from_db()
    assert (reading.title, reading.body) == ("What sepsis is", "Read *me*")


def test_authors_move_publish_and_delete_a_unit(people: People, outline: Outline) -> None:
    client = api_as(people.instructor)
    reading, video, check, antibiotics = outline.units

    down = client.post(f"{COURSE}/units/{reading.pk}/move", {"direction": "down"})
    across = client.post(f"{COURSE}/units/{check.pk}/move", {"module": outline.second.pk})
    draft = client.post(f"{COURSE}/units/{antibiotics.pk}/publish", {"published": False})
    deleted = client.delete(f"{COURSE}/units/{video.pk}")

    assert (down.json()["position"], across.json()["module_id"], draft.json()["published"]) == (
        1,
        outline.second.pk,
        False,
    )
    assert deleted.status_code == 204
    assert outline_state(outline) == [
        ("Recognising sepsis", 0, True, [("What sepsis is", 0, True)]),
        ("Treatment", 1, True, [("Antibiotics", 0, False), ("Check", 1, True)]),
    ]


def test_moving_a_unit_nowhere_is_refused_with_400(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(f"{COURSE}/units/{outline.units[0].pk}/move", {})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Say where to move the unit: a direction (up or down) or a module."
    }


def test_teaching_assistants_and_learners_may_not_change_the_outline(
    people: People, outline: Outline
) -> None:
    before = outline_state(outline)
    reading = outline.units[0]
    module = f"{COURSE}/modules/{outline.first.pk}"
    for user in (people.ta, people.learner):
        client = api_as(user)
        statuses = [
            client.post(f"{COURSE}/modules", {"title": "X"}).status_code,
            client.patch(module, {"title": "X"}).status_code,
            client.post(module + "/move", {"direction": "down"}).status_code,
            client.post(module + "/publish", {"published": False}).status_code,
            client.post(
                module + "/units", {"kind": "reading", "title": "X", "body": "x"}
            ).status_code,
            client.patch(f"{COURSE}/units/{reading.pk}", {"title": "X"}).status_code,
            client.post(f"{COURSE}/units/{reading.pk}/move", {"direction": "down"}).status_code,
            client.post(f"{COURSE}/units/{reading.pk}/publish", {"published": False}).status_code,
            client.delete(f"{COURSE}/units/{reading.pk}").status_code,
            client.delete(module).status_code,
        ]
        assert statuses == [403] * 10
    assert outline_state(outline) == before


def test_another_organizations_modules_and_units_answer_404(
    people: People, outline: Outline, foreign_outline: Outline
) -> None:
    client = api_as(people.instructor)
    module = f"{COURSE}/modules/{foreign_outline.first.pk}"
    unit = f"{COURSE}/units/{foreign_outline.units[0].pk}"

    statuses = [
        client.patch(module, {"title": "Mine"}).status_code,
        client.post(module + "/publish", {"published": False}).status_code,
        client.post(module + "/units", {"kind": "reading", "title": "X", "body": "x"}).status_code,
        client.delete(module).status_code,
        client.get(unit).status_code,
        client.patch(unit, {"title": "Mine"}).status_code,
        client.post(
            f"{COURSE}/units/{outline.units[0].pk}/move", {"module": foreign_outline.first.pk}
        ).status_code,
        client.delete(unit).status_code,
    ]

    assert statuses == [404] * 8
    assert Unit.objects.filter(course=foreign_outline.course).count() == 4
    assert Module.objects.get(pk=foreign_outline.first.pk).title == "Foreign module"
    assert Unit.objects.get(pk=outline.units[0].pk).module_id == outline.first.pk
    assert not Unit.objects.filter(kind=UnitKind.READING, title="X").exists()
