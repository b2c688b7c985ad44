"""Writes to courses: creating and publishing them, and enrolment.

Editing, moving, publishing and deleting modules and units lives in ``outline_actions`` (one
reason to change: the shape of a course), a video unit's captions in ``caption_actions``; both
are re-exported here, so callers import every course action from this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadenza.accounts.actions import create_user, normalise_email
from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.courses.caption_actions import remove_caption_track, save_caption_track
from cadenza.courses.enrolment_emails import queue_enrolment_email
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Module, Unit, UnitKind
from cadenza.courses.outline_actions import (
    Direction,
    delete_module,
    delete_unit,
    edit_module,
    edit_unit,
    move_module,
    move_unit,
    move_unit_to_module,
    set_module_published,
    set_unit_published,
)
from cadenza.orgs.actions import add_member
from cadenza.orgs.models import Membership, Organization, Role
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext

__all__ = [
    "Direction",
    "EnrolmentResult",
    "add_module",
    "add_unit",
    "course_object",
    "create_course",
    "delete_module",
    "delete_unit",
    "edit_course",
    "edit_module",
    "edit_unit",
    "enrol_by_emails",
    "enrol_learner",
    "move_module",
    "move_unit",
    "move_unit_to_module",
    "publish_course",
    "remove_caption_track",
    "save_caption_track",
    "self_enrol",
    "set_course_published",
    "set_module_published",
    "set_unit_published",
    "withdraw_learner",
]

RESERVED_COURSE_SLUGS = frozenset({"new"})
"""Slugs that would collide with the teaching pages' own URLs (``teach/courses/new/``)."""


def _check_course_slug(*, org: Organization, slug: str, course_id: int | None = None) -> None:
    if slug in RESERVED_COURSE_SLUGS:
        raise ValidationError({"slug": f"{slug!r} is reserved; choose another web address."})
    same_slug = Course.objects.filter(org=org, slug=slug)
    if course_id is not None:
        same_slug = same_slug.exclude(pk=course_id)
    if same_slug.exists():
        raise ValidationError({"slug": "Another course of the organization uses this address."})


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
    """Create a draft course. Invalid fields or a slug in use raise ``ValidationError``."""
    _check_course_slug(org=org, slug=slug)
    course = Course(
        org=org,
        title=title.strip(),
        slug=slug,
        summary=summary,
        open_enrolment=open_enrolment,
        created_by=created_by,
    )
    course.full_clean(exclude=["created_by"])  # None: made by the system (demo, import)
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
    *,
    course: Course,
    user: User,
    enrolled_by: User | None = None,
    now: datetime | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol ``user`` (re-activating a withdrawn enrolment). Returns (enrolment, newly active).

    Recorded in the learning record as "registered" each time it becomes active (a retry of
    an enrolment that is already active records nothing). ``now`` dates it (imports, demo).
    """
    now = now or timezone.now()
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
            event_key=f"enrolled:{enrolment.pk}:{now.isoformat()}",
            context={
                "extensions": {"urn:cadenza:enrolled_by": enrolled_by.pk if enrolled_by else None}
            },
            timestamp=now,
        )
        if created:
            # ``enrolled_at`` is set on insert; an imported or back-dated enrolment keeps ``now``.
            Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=now)
            enrolment.enrolled_at = now
    return enrolment, became_active


@transaction.atomic
def edit_course(
    *, course: Course, title: str, slug: str, summary: str, open_enrolment: bool
) -> Course:
    """Change a course's description. A slug taken in the organization raises
    ``ValidationError`` and nothing is saved."""
    _check_course_slug(org=course.org, slug=slug, course_id=course.pk)
    course.title = title.strip()
    course.slug = slug
    course.summary = summary
    course.open_enrolment = open_enrolment
    course.full_clean(exclude=["created_by"])
    course.save()
    return course


@transaction.atomic
def set_course_published(
    *, course: Course, published: bool, include_contents: bool = False
) -> Course:
    """Publish or withdraw a course. ``include_contents`` (when publishing) also publishes
    every draft module and unit; withdrawing leaves the contents' own states as they are,
    so publishing again restores exactly what learners saw."""
    if published:
        return publish_course(course=course, include_contents=include_contents)
    if course.published_at is not None:
        course.published_at = None
        course.save(update_fields=["published_at", "updated_at"])
    return course


@transaction.atomic
def self_enrol(ctx: OrgContext, course: Course) -> Enrolment:
    """A person enrols themselves: only in a published course of their organization that
    is open for enrolment, and only with a role that may self-enrol (else ``PermissionDenied``).
    Enrolling again while enrolled returns the same enrolment."""
    if course.org_id != ctx.org.pk:
        raise PermissionDenied("This course belongs to another organization.")
    if not course.is_published or not course.open_enrolment:
        raise PermissionDenied("This course is not open for enrolment.")
    ctx.require(Permission.SELF_ENROL)
    enrolment, _became_active = enrol_learner(course=course, user=ctx.user, enrolled_by=ctx.user)
    return enrolment


@dataclass(frozen=True, slots=True)
class EnrolmentResult:
    """What ``enrol_by_emails`` did, e-mail by e-mail (normalised, in the order given).

    Whether an address had an account on the platform is deliberately not part of it: an
    instructor of one organization must not learn who has an account (in any organization).
    """

    enrolled: tuple[str, ...]
    already_enrolled: tuple[str, ...]
    new_members: tuple[str, ...]


@transaction.atomic
def enrol_by_emails(*, course: Course, emails: Iterable[str], enrolled_by: User) -> EnrolmentResult:
    """Enrol everyone on a pasted list of e-mail addresses, all or nothing.

    A member of the organization is enrolled as they are (whatever their role). Someone with
    an account but no place in the organization joins it as a learner; someone with no
    account gets one without a password. Everyone newly enrolled is e-mailed what fits
    (``enrolment_emails``: a link to choose a password, or the log-in link, on the site's
    configured address). Any invalid address raises ``ValidationError`` naming each one,
    before anything is written.
    """
    addresses = _valid_addresses(emails)
    users = {u.email: u for u in User.objects.filter(email__in=addresses)}
    member_ids = set(
        Membership.objects.filter(org=course.org, user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    enrolled: list[str] = []
    already: list[str] = []
    new_members: list[str] = []
    for address in addresses:
        user = users.get(address)
        new_account = user is None
        if user is None:
            user = create_user(email=address, password=None, time_zone=course.org.time_zone)
        if user.pk not in member_ids:
            add_member(org=course.org, user=user, role=Role.LEARNER)
            new_members.append(address)
        enrolment, became_active = enrol_learner(course=course, user=user, enrolled_by=enrolled_by)
        (enrolled if became_active else already).append(address)
        if became_active:
            queue_enrolment_email(
                enrolment=enrolment,
                enrolled_by=enrolled_by,
                new_account=new_account,
            )
    return EnrolmentResult(
        enrolled=tuple(enrolled),
        already_enrolled=tuple(already),
        new_members=tuple(new_members),
    )


def _valid_addresses(emails: Iterable[str]) -> list[str]:
    addresses: list[str] = []
    invalid: list[str] = []
    for raw in emails:
        address = normalise_email(raw)
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(raw.strip())
            continue
        if address not in addresses:
            addresses.append(address)
    if invalid:
        raise ValidationError(
            [f"{value!r} is not a valid e-mail address." for value in invalid], code="invalid"
        )
    return addresses


@transaction.atomic
def withdraw_learner(*, enrolment: Enrolment) -> Enrolment:
    """Take a learner out of a course. Their progress and record are kept, so enrolling them
    again picks up where they left off."""
    if enrolment.status != EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status"])
    return enrolment
