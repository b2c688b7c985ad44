"""Build the demo organization, Riverside General Hospital, through the product's actions.

``build_demo`` is what ``cadenza demo`` runs. It is idempotent: when the organization exists
it changes nothing and reports so; ``reset=True`` deletes the demo organization (and the demo
accounts that belong nowhere else) and builds it again. The whole build is one transaction,
so a failure leaves no half-built demo behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.actions import enrol_learner
from cadenza.courses.models import Unit
from cadenza.demo.content import COURSE_SLUG, COURSE_TITLE, build_course
from cadenza.demo.live import build_live_sessions
from cadenza.demo.people import (
    ADMIN,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    FRESH_LEARNER,
    INSTRUCTOR,
    LEARNERS,
    TEACHING_ASSISTANT,
    DemoPerson,
    create_people,
)
from cadenza.demo.progress import replay_learner_history
from cadenza.live.models import LiveSession
from cadenza.orgs.actions import create_organization
from cadenza.orgs.models import Organization

ORG_SLUG = "riverside"
ORG_NAME = "Riverside General Hospital"
ORG_TIME_ZONE = "America/Chicago"
ORG_ACCENT_COLOUR = "#0b7a75"


class DemoConflict(Exception):
    """The demo cannot be built: one of its e-mail addresses belongs to someone else."""


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One account to try the demo with."""

    role: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What ``build_demo`` did, and how to log in."""

    created: bool
    org_slug: str
    org_name: str
    course_slug: str
    course_title: str
    password: str
    logins: tuple[DemoLogin, ...]


def _login(role: str, person: DemoPerson) -> DemoLogin:
    return DemoLogin(role=role, name=person.display_name, email=person.email)


def _summary(*, created: bool) -> DemoSummary:
    return DemoSummary(
        created=created,
        org_slug=ORG_SLUG,
        org_name=ORG_NAME,
        course_slug=COURSE_SLUG,
        course_title=COURSE_TITLE,
        password=DEMO_PASSWORD,
        logins=(
            _login("Organization admin", ADMIN),
            _login("Instructor", INSTRUCTOR),
            _login("Teaching assistant", TEACHING_ASSISTANT),
            _login("Learner (not started)", FRESH_LEARNER),
        ),
    )


# Everyone was enrolled when the course opened, just before the history starts.
ENROLLED_DAYS_AGO = timedelta(days=14)


@transaction.atomic
def build_demo(*, reset: bool = False, now: datetime | None = None) -> DemoSummary:
    """Build the demo organization unless it exists; with ``reset``, rebuild it from scratch.

    ``now`` is the moment the learners' two weeks of history lead up to (default: now).
    Raises ``DemoConflict`` when a demo e-mail address is used by an account outside the demo.
    """
    now = now or timezone.now()
    existing = Organization.objects.filter(slug=ORG_SLUG).first()
    if existing is not None and not reset:
        return _summary(created=False)
    if existing is not None:
        _delete_demo(existing)
    _delete_orphan_demo_accounts()

    org = create_organization(
        slug=ORG_SLUG,
        name=ORG_NAME,
        time_zone=ORG_TIME_ZONE,
        accent_colour=ORG_ACCENT_COLOUR,
        allow_self_join=True,
    )
    users = create_people(org=org)
    instructor = users[INSTRUCTOR]
    course = build_course(org=org, instructor=instructor)
    enrolled_at = now - ENROLLED_DAYS_AGO
    for person in LEARNERS:
        enrol_learner(
            course=course.course, user=users[person], enrolled_by=instructor, now=enrolled_at
        )
    replay_learner_history(course=course, learners=users, now=now)
    build_live_sessions(course=course, users=users, now=now)
    return _summary(created=True)


def _delete_demo(org: Organization) -> None:
    """Delete the demo organization with everything in it, and its uploaded files."""
    units = Unit.objects.filter(org=org)
    files = [
        name
        for video, resource in units.values_list("video_file", "resource_file")
        for name in (video, resource)
        if name
    ]
    recordings = LiveSession.objects.filter(org=org).values_list("recording_file", flat=True)
    files += [name for name in recordings if name]
    org.delete()

    def delete_files() -> None:
        for name in files:
            default_storage.delete(name)

    # Files go only once the deletion is committed: a rolled-back reset keeps them.
    transaction.on_commit(delete_files)


def _delete_orphan_demo_accounts() -> None:
    """Remove demo accounts left without an organization, so their addresses can be reused.

    An account that still belongs to another organization is someone's real account now:
    refuse rather than take it over.
    """
    demo_accounts = User.objects.filter(email__iendswith=f"@{EMAIL_DOMAIN}")
    in_use = demo_accounts.filter(memberships__isnull=False).distinct()
    if in_use.exists():
        emails = ", ".join(sorted(in_use.values_list("email", flat=True))[:3])
        raise DemoConflict(
            f"Accounts with demo addresses belong to another organization ({emails}); "
            "delete them or use a fresh database."
        )
    demo_accounts.delete()
