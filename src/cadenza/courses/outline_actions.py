"""Writes to a course's outline: editing, ordering, publishing and deleting modules and units.

Positions stay dense (0..n-1) inside each course (modules) and module (units) after every
move and delete. Each action locks the course row first, so two instructors reordering the
same course at once queue up instead of writing duplicate positions. Files that a unit no
longer uses are deleted only after the transaction commits: a rolled-back edit never loses
the file the unit still points to.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from cadenza.courses.models import Course, Module, Unit

Direction = Literal["up", "down"]

_EDITABLE_KIND_FIELDS = frozenset(
    {
        "video_file",
        "video_url",
        "video_duration_seconds",
        "resource_file",
        "resource_name",
        "resource_content_type",
        "resource_size",
        "pass_mark_percent",
        "max_attempts",
    }
)
_FILE_FIELDS = ("video_file", "resource_file")

Ordered = TypeVar("Ordered", Module, Unit)


@transaction.atomic
def edit_module(*, module: Module, title: str, summary: str = "") -> Module:
    """Rename a module or change its summary."""
    module.title = title.strip()
    module.summary = summary
    module.full_clean()
    module.save(update_fields=["title", "summary"])
    return module


@transaction.atomic
def move_module(*, module: Module, direction: Direction) -> Module:
    """Swap a module with its neighbour; at either end nothing moves."""
    _lock_course(module.course_id)
    siblings = list(Module.objects.filter(course_id=module.course_id).order_by("position", "id"))
    _swap_with_neighbour(siblings, module.pk, direction)
    _save_positions(siblings)
    module.refresh_from_db(fields=["position"])
    return module


@transaction.atomic
def set_module_published(*, module: Module, published: bool, include_units: bool = False) -> Module:
    """Publish or withdraw a module; ``include_units`` (when publishing) also publishes its
    draft units. Withdrawing keeps the units' own states."""
    now = timezone.now()
    if published and module.published_at is None:
        module.published_at = now
    elif not published:
        module.published_at = None
    module.save(update_fields=["published_at"])
    if published and include_units:
        module.units.filter(published_at__isnull=True).update(published_at=now)
    return module


@transaction.atomic
def delete_module(*, module: Module) -> None:
    """Delete a module with its units (and their files, once committed); the modules after
    it move up."""
    _lock_course(module.course_id)
    _delete_files_after_commit(list(module.units.all()))
    course_id = module.course_id
    module.delete()
    _save_positions(list(Module.objects.filter(course_id=course_id).order_by("position", "id")))


@transaction.atomic
def edit_unit(
    *,
    unit: Unit,
    title: str,
    body: str = "",
    estimated_minutes: int = 5,
    **kind_fields: object,
) -> Unit:
    """Change a unit. ``kind_fields`` as for ``add_unit``; a file field set to ``None``
    clears it and a new upload replaces it. A replaced or cleared file is deleted after
    commit. Invalid values raise ``ValidationError`` and nothing is saved."""
    old_files = {name: getattr(unit, name).name for name in _FILE_FIELDS}
    unit.title = title.strip()
    unit.body = body
    unit.estimated_minutes = estimated_minutes
    for name, value in kind_fields.items():
        if name not in _EDITABLE_KIND_FIELDS:
            raise TypeError(f"edit_unit() got an unexpected field {name!r}")
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    for name, old in old_files.items():
        field_file: FieldFile = getattr(unit, name)
        if old and field_file.name != old:
            _delete_after_commit(field_file, old)
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, direction: Direction) -> Unit:
    """Swap a unit with its neighbour in its module; at either end nothing moves."""
    _lock_course(unit.course_id)
    siblings = list(Unit.objects.filter(module_id=unit.module_id).order_by("position", "id"))
    _swap_with_neighbour(siblings, unit.pk, direction)
    _save_positions(siblings)
    unit.refresh_from_db(fields=["position"])
    return unit


@transaction.atomic
def move_unit_to_module(*, unit: Unit, module: Module) -> Unit:
    """Move a unit to the end of another module of the same course; the units after it in
    its old module move up. A module of another course raises ``ValidationError``."""
    if module.course_id != unit.course_id:
        raise ValidationError("A unit can only move to a module of its own course.")
    if module.pk == unit.module_id:
        return unit
    _lock_course(unit.course_id)
    old_module_id = unit.module_id
    last = Unit.objects.filter(module=module).aggregate(last=Max("position"))["last"]
    unit.module = module
    unit.position = 0 if last is None else last + 1
    unit.save(update_fields=["module", "position"])
    _save_positions(list(Unit.objects.filter(module_id=old_module_id).order_by("position", "id")))
    return unit


@transaction.atomic
def set_unit_published(*, unit: Unit, published: bool) -> Unit:
    """Publish or withdraw one unit. Learners see it only once its module and course are
    published too."""
    if published and unit.published_at is None:
        unit.published_at = timezone.now()
    elif not published:
        unit.published_at = None
    unit.save(update_fields=["published_at"])
    return unit


@transaction.atomic
def delete_unit(*, unit: Unit) -> None:
    """Delete a unit (its learners' progress and answers go with it; its files once
    committed); the units after it move up."""
    _lock_course(unit.course_id)
    _delete_files_after_commit([unit])
    module_id = unit.module_id
    unit.delete()
    _save_positions(list(Unit.objects.filter(module_id=module_id).order_by("position", "id")))


def _lock_course(course_id: int) -> None:
    Course.objects.select_for_update().filter(pk=course_id).values_list("pk").first()


def _swap_with_neighbour(items: list[Ordered], pk: int, direction: Direction) -> None:
    index = next(i for i, item in enumerate(items) if item.pk == pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def _save_positions(items: list[Ordered]) -> None:
    """Number ``items`` 0..n-1 in list order, writing only the rows that changed."""
    changed: list[Ordered] = []
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
            changed.append(item)
    if changed:
        queryset: QuerySet[Ordered] = type(changed[0])._default_manager.all()
        queryset.bulk_update(changed, ["position"])


def _delete_files_after_commit(units: list[Unit]) -> None:
    for unit in units:
        for name in _FILE_FIELDS:
            field_file: FieldFile = getattr(unit, name)
            if field_file.name:
                _delete_after_commit(field_file, field_file.name)


def _delete_after_commit(field_file: FieldFile, name: str) -> None:
    storage = field_file.storage
    transaction.on_commit(lambda: storage.delete(name))
