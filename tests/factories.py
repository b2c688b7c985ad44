"""Test data built through the product's own actions, so tests see what users would create."""

from __future__ import annotations

import itertools

from cadenza.accounts.actions import create_user
from cadenza.accounts.models import User
from cadenza.courses.actions import add_module, add_unit, create_course, enrol_learner
from cadenza.courses.models import Course, Module, Unit, UnitKind
from cadenza.orgs.actions import add_member, create_organization
from cadenza.orgs.models import Organization, Role

PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def make_org(slug: str | None = None, **fields: object) -> Organization:
    n = next(_counter)
    slug = slug or f"org-{n}"
    return create_organization(slug=slug, name=fields.pop("name", f"Org {n}"), **fields)  # type: ignore[arg-type]


def make_user(org: Organization | None = None, role: Role = Role.LEARNER, **fields: object) -> User:
    n = next(_counter)
    email = str(fields.pop("email", f"person{n}@example.org"))
    user = create_user(email=email, password=PASSWORD, **fields)  # type: ignore[arg-type]
    if org is not None:
        add_member(org=org, user=user, role=role)
    return user


def make_course(
    org: Organization, *, title: str = "Sepsis basics", slug: str | None = None, **fields: object
) -> Course:
    n = next(_counter)
    return create_course(
        org=org,
        title=title,
        slug=slug or f"course-{n}",
        created_by=None,
        **fields,  # type: ignore[arg-type]
    )


def make_module(course: Course, title: str = "Module") -> Module:
    return add_module(course=course, title=title)


def make_unit(module: Module, kind: UnitKind = UnitKind.READING, **fields: object) -> Unit:
    title = str(fields.pop("title", f"Unit {next(_counter)}"))
    return add_unit(module=module, kind=kind, title=title, **fields)  # type: ignore[arg-type]


def enrol(course: Course, user: User) -> None:
    enrol_learner(course=course, user=user)


def notification_footer(user: User, *, kind: str, label: str) -> str:
    """The lines every notification e-mail ends with (``notifications/email.txt``)."""
    from cadenza.notifications.unsubscribe_tokens import unsubscribe_path

    return (
        f'\n-- \nYou get these e-mails for "{label}".\n'
        f"Stop them: http://testserver{unsubscribe_path(user_id=user.pk, kind=kind)}\n"
        "Choose what you get: http://testserver/notifications/preferences/\n"
    )
