"""Finding the course members a post names with ``@``.

A mention is ``@`` and a person's e-mail address (``@ada@example.org``) or the part of it
before the ``@`` (``@ada``) when exactly one member of the course has it. Members are the
course's actively enrolled learners and the organization's staff. People sign in by e-mail
(decision 0003) and have no user names; the address is the one handle every member has.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus
from cadenza.orgs.models import Membership
from cadenza.orgs.policy import Permission, roles_with

MAX_MENTIONS = 20
_MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def mentioned_handles(body: str) -> list[str]:
    """The handles a text names, in order, without repeats, at most ``MAX_MENTIONS``."""
    found: list[str] = []
    for match in _MENTION.finditer(body):
        handle = match.group(1).rstrip(".").lower()
        if handle and handle not in found:
            found.append(handle)
    return found[:MAX_MENTIONS]


def mentioned_members(*, course: Course, body: str) -> list[User]:
    """The course members a text mentions (one query; none when it mentions nobody)."""
    handles = mentioned_handles(body)
    if not handles:
        return []
    named = Q()
    for handle in handles:
        named |= Q(email__iexact=handle) if "@" in handle else Q(email__istartswith=f"{handle}@")
    enrolled = Enrolment.objects.filter(
        course=course, user=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
    )
    staff = Membership.objects.filter(
        org_id=course.org_id, user=OuterRef("pk"), role__in=roles_with(Permission.VIEW_DRAFTS)
    )
    candidates = list(User.objects.filter(named).filter(Exists(enrolled) | Exists(staff)))
    chosen: list[User] = []
    for handle in handles:
        if "@" in handle:
            matches = [user for user in candidates if user.email.lower() == handle]
        else:
            matches = [user for user in candidates if user.email.lower().split("@", 1)[0] == handle]
        if len(matches) == 1 and matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen
