"""Editing a course's outline: positions stay dense, publishing cascades, files follow."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cadenza.courses.actions import (
    add_unit,
    delete_module,
    delete_unit,
    edit_module,
    edit_unit,
    move_module,
    move_unit,
    move_unit_to_module,
    publish_course,
    set_course_published,
    set_module_published,
    set_unit_published,
)
from cadenza.courses.models import Course, Module, Unit, UnitKind
from tests.courses.conftest import Outline
from tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db

CaptureCommits = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def titles_and_positions(module: Module) -> list[tuple[str, int]]:
    return list(module.units.order_by("position").values_list("title", "position"))


def module_order(course: Course) -> list[tuple[str, int]]:
    return list(course.modules.order_by("position").values_list("title", "position"))


def test_moving_a_unit_up_swaps_it_with_the_one_before(outline: Outline) -> None:
    move_unit(unit=outline.units[1], direction="up")

    assert titles_and_positions(outline.first) == [
        ("Lecture", 0),
        ("What sepsis is", 1),
        ("Check", 2),
    ]


def test_moving_the_first_unit_up_changes_nothing(outline: Outline) -> None:
    move_unit(unit=outline.units[0], direction="up")

    assert titles_and_positions(outline.first) == [
        ("What sepsis is", 0),
        ("Lecture", 1),
        ("Check", 2),
    ]


def test_moving_the_last_unit_down_changes_nothing(outline: Outline) -> None:
    move_unit(unit=outline.units[2], direction="down")

    assert titles_and_positions(outline.first) == [
        ("What sepsis is", 0),
        ("Lecture", 1),
        ("Check", 2),
    ]


def test_moving_a_module_down_swaps_it_with_the_next(outline: Outline) -> None:
    move_module(module=outline.first, direction="down")

    assert module_order(outline.course) == [("Treatment", 0), ("Recognising sepsis", 1)]


def test_moves_repair_gapped_positions_into_a_dense_order(outline: Outline) -> None:
    Unit.objects.filter(pk=outline.units[2].pk).update(position=9)

    move_unit(unit=outline.units[2], direction="up")

    assert titles_and_positions(outline.first) == [
        ("What sepsis is", 0),
        ("Check", 1),
        ("Lecture", 2),
    ]


def test_moving_a_unit_to_another_module_appends_it_and_closes_the_gap(
    outline: Outline,
) -> None:
    move_unit_to_module(unit=outline.units[0], module=outline.second)

    assert titles_and_positions(outline.first) == [("Lecture", 0), ("Check", 1)]
    assert titles_and_positions(outline.second) == [("Antibiotics", 0), ("What sepsis is", 1)]
    unit = Unit.objects.get(pk=outline.units[0].pk)
    assert (unit.module_id, unit.course_id) == (outline.second.pk, outline.course.pk)


def test_a_unit_cannot_move_to_a_module_of_another_course(outline: Outline) -> None:
    elsewhere = make_module(make_course(outline.course.org, slug="other"), "Elsewhere")

    with pytest.raises(ValidationError):
        move_unit_to_module(unit=outline.units[0], module=elsewhere)

    assert titles_and_positions(outline.first)[0] == ("What sepsis is", 0)
    assert elsewhere.units.count() == 0


def test_deleting_a_unit_closes_the_gap(outline: Outline) -> None:
    delete_unit(unit=outline.units[1])

    assert titles_and_positions(outline.first) == [("What sepsis is", 0), ("Check", 1)]


def test_deleting_a_module_deletes_its_units_and_closes_the_gap(outline: Outline) -> None:
    third = make_module(outline.course, "Follow-up")

    delete_module(module=outline.first)

    assert module_order(outline.course) == [("Treatment", 0), ("Follow-up", 1)]
    assert third.pk in set(outline.course.modules.values_list("pk", flat=True))
    assert list(outline.course.units.values_list("title", flat=True)) == ["Antibiotics"]


def test_a_new_unit_after_a_delete_takes_the_next_dense_position(outline: Outline) -> None:
    delete_unit(unit=outline.units[0])

    add_unit(module=outline.first, kind=UnitKind.READING, title="Added")

    assert titles_and_positions(outline.first) == [("Lecture", 0), ("Check", 1), ("Added", 2)]


def test_publishing_a_course_with_its_contents_publishes_every_module_and_unit(
    outline: Outline,
) -> None:
    set_course_published(course=outline.course, published=True, include_contents=True)

    assert Course.objects.get(pk=outline.course.pk).is_published
    assert outline.course.modules.filter(published_at__isnull=True).count() == 0
    assert outline.course.units.filter(published_at__isnull=True).count() == 0


def test_publishing_only_the_course_leaves_its_contents_drafts(outline: Outline) -> None:
    set_course_published(course=outline.course, published=True)

    assert Course.objects.get(pk=outline.course.pk).is_published
    assert outline.course.modules.filter(published_at__isnull=False).count() == 0
    assert outline.course.units.filter(published_at__isnull=False).count() == 0


def test_unpublishing_a_course_keeps_the_states_of_its_contents(outline: Outline) -> None:
    publish_course(course=outline.course, include_contents=True)

    set_course_published(course=outline.course, published=False)

    assert Course.objects.get(pk=outline.course.pk).published_at is None
    assert outline.course.units.filter(published_at__isnull=False).count() == 4


def test_publishing_a_module_with_its_units_publishes_only_that_module(
    outline: Outline,
) -> None:
    set_module_published(module=outline.first, published=True, include_units=True)

    assert Module.objects.get(pk=outline.first.pk).is_published
    assert Module.objects.get(pk=outline.second.pk).published_at is None
    assert outline.first.units.filter(published_at__isnull=True).count() == 0
    assert outline.second.units.get().published_at is None


def test_unpublishing_a_module_keeps_its_units_states(outline: Outline) -> None:
    set_module_published(module=outline.first, published=True, include_units=True)

    set_module_published(module=outline.first, published=False)

    assert Module.objects.get(pk=outline.first.pk).published_at is None
    assert outline.first.units.filter(published_at__isnull=False).count() == 3


def test_publishing_and_withdrawing_one_unit(outline: Outline) -> None:
    set_unit_published(unit=outline.units[0], published=True)
    first_published_at = Unit.objects.get(pk=outline.units[0].pk).published_at
    set_unit_published(unit=outline.units[0], published=True)

    assert Unit.objects.get(pk=outline.units[0].pk).published_at == first_published_at
    set_unit_published(unit=outline.units[0], published=False)
    assert Unit.objects.get(pk=outline.units[0].pk).published_at is None


def test_renaming_a_module(outline: Outline) -> None:
    edit_module(module=outline.first, title="  Spotting sepsis ", summary="Early signs")

    module = Module.objects.get(pk=outline.first.pk)
    assert (module.title, module.summary) == ("Spotting sepsis", "Early signs")


def test_an_empty_module_title_is_refused_and_nothing_changes(outline: Outline) -> None:
    with pytest.raises(ValidationError):
        edit_module(module=outline.first, title="   ")

    assert Module.objects.get(pk=outline.first.pk).title == "Recognising sepsis"


def test_replacing_a_resource_file_deletes_the_old_file_after_commit(
    outline: Outline, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    unit = add_unit(
        module=outline.second,
        kind=UnitKind.RESOURCE,
        title="Protocol",
        resource_file=ContentFile(b"%PDF-1.7 old", name="old.pdf"),
        resource_name="old.pdf",
    )
    old_name = unit.resource_file.name
    assert old_name is not None

    with django_capture_on_commit_callbacks(execute=True):
        edit_unit(
            unit=unit,
            title="Protocol",
            resource_file=ContentFile(b"%PDF-1.7 new", name="new.pdf"),
            resource_name="new.pdf",
        )

    unit.refresh_from_db()
    new_name = unit.resource_file.name
    assert new_name is not None
    assert default_storage.exists(new_name)
    assert not default_storage.exists(old_name)
    assert unit.resource_name == "new.pdf"


def test_deleting_a_unit_deletes_its_file_after_commit(
    outline: Outline, django_capture_on_commit_callbacks: CaptureCommits
) -> None:
    unit = add_unit(
        module=outline.second,
        kind=UnitKind.VIDEO,
        title="Recording",
        video_file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="talk.mp4"),
    )
    name = unit.video_file.name
    assert name is not None
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        delete_unit(unit=unit)

    assert not default_storage.exists(name)


def test_edit_unit_refuses_unknown_fields_and_saves_nothing(outline: Outline) -> None:
    with pytest.raises(TypeError):
        edit_unit(unit=outline.units[0], title="Changed", colour="red")

    assert Unit.objects.get(pk=outline.units[0].pk).title == "What sepsis is"
