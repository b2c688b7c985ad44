"""Writes to courses: structure, publishing and enrolment."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Module, Unit, UnitKind
from cadenza.orgs.models import Organization


def course_object(course: Course) -> LearningObject:
    """The course as the object of an xAPI statement."""
    return LearningObject(
        type="course",
        id=str(course.pk),
        iri=f"urn:cadenza:{course.org.slug}:course:{course.pk}",
        name=course.title,
    )


@transaction.atomic
def create_course(
    *,
    org: Organization,
    title: str,
    slug: str,
    created_by: User | None,
    summary: str = "",
    open_enrolment: bool = False,
) -> Course:
    """Create a draft course."""
    course = Course(
        org=org,
        title=title.strip(),
        slug=slug,
        summary=summary,
        open_enrolment=open_enrolment,
        created_by=created_by,
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def add_module(*, course: Course, title: str, summary: str = "") -> Module:
    """Append a draft module at the end of the course."""
    last = course.modules.aggregate(last=Max("position"))["last"]
    module = Module(
        org=course.org,
        course=course,
        title=title.strip(),
        summary=summary,
        position=0 if last is None else last + 1,
    )
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def add_unit(
    *,
    module: Module,
    kind: UnitKind,
    title: str,
    body: str = "",
    estimated_minutes: int = 5,
    **kind_fields: object,
) -> Unit:
    """Append a draft unit at the end of the module.

    ``kind_fields`` are the kind's own fields (``video_url``, ``video_duration_seconds``,
    ``pass_mark_percent``, ``max_attempts`` ...); unknown names raise ``TypeError``.
    """
    last = module.units.aggregate(last=Max("position"))["last"]
    unit = Unit(
        org=module.org,
        course=module.course,
        module=module,
        kind=kind,
        title=title.strip(),
        body=body,
        estimated_minutes=estimated_minutes,
        position=0 if last is None else last + 1,
    )
    for name, value in kind_fields.items():
        if name not in _KIND_FIELDS:
            raise TypeError(f"add_unit() got an unexpected field {name!r}")
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


_KIND_FIELDS = frozenset(
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


@transaction.atomic
def publish_course(*, course: Course, include_contents: bool = True) -> Course:
    """Publish a course; with ``include_contents`` also every draft module and unit in it."""
    now = timezone.now()
    if course.published_at is None:
        course.published_at = now
        course.save(update_fields=["published_at", "updated_at"])
    if include_contents:
        course.modules.filter(published_at__isnull=True).update(published_at=now)
        course.units.filter(published_at__isnull=True).update(published_at=now)
    return course


@transaction.atomic
def enrol_learner(
    *, course: Course, user: User, enrolled_by: User | None = None
) -> tuple[Enrolment, bool]:
    """Enrol ``user`` (re-activating a withdrawn enrolment). Returns (enrolment, newly active).

    Recorded in the learning record as "registered" the first time it becomes active.
    """
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        course=course,
        user=user,
        defaults={"org": course.org, "enrolled_by": enrolled_by},
    )
    became_active = created
    if not created and enrolment.status != EnrolmentStatus.ACTIVE:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.enrolled_by = enrolled_by
        enrolment.save(update_fields=["status", "enrolled_by"])
        became_active = True
    if became_active:
        record(
            org=course.org,
            actor=user,
            verb=Verb.REGISTERED,
            obj=course_object(course),
            event_key=f"enrolled:{enrolment.pk}:{timezone.now().isoformat()}",
            context={"extensions": {"urn:cadenza:enrolled_by": enrolled_by.pk if enrolled_by else None}},
        )
    return enrolment, became_active
