"""Organizations I belong to, and their people (for the organization's admins)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import MAX_ADDRESSES, Body, EmailAddress
from cadenza.api.common import ERRORS, PersonOut, member_context, person_out, signed_in
from cadenza.orgs.actions import change_role, invite_people, remove_member
from cadenza.orgs.models import Membership, Role
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import access_membership, memberships_of, people_of

router = Router(tags=["organizations"])


class OrgOut(Schema):
    slug: str
    name: str
    time_zone: str


class MyMembershipOut(Schema):
    org: OrgOut
    role: Role


class MemberOut(Schema):
    """A person's place in the organization; ``id`` is the membership's."""

    id: int
    person: PersonOut
    role: Role
    joined_at: datetime


class InviteIn(Body):
    emails: list[EmailAddress] = Field(
        min_length=1, max_length=MAX_ADDRESSES, description="Addresses; all or nothing."
    )
    role: Role = Role.LEARNER


class InvitationOut(Schema):
    """``added`` became members (each was e-mailed what fits: a link to choose a password,
    or the log-in link); ``already_members`` were left as they were. Whether an address had
    an account on the platform is not said."""

    added: list[str]
    already_members: list[str]


class RoleIn(Body):
    role: Role


def _member(membership: Membership) -> MemberOut:
    return MemberOut(
        id=membership.pk,
        person=person_out(membership.user),
        role=Role(membership.role),
        joined_at=membership.joined_at,
    )


@router.get("/orgs", response={200: list[MyMembershipOut], **ERRORS})
def my_organizations(request: HttpRequest) -> list[MyMembershipOut]:
    """The organizations I belong to, with my role in each, by name."""
    return [
        MyMembershipOut(
            org=OrgOut(slug=m.org.slug, name=m.org.name, time_zone=m.org.time_zone),
            role=Role(m.role),
        )
        for m in memberships_of(signed_in(request))
    ]


@router.get("/orgs/{org}/people", response={200: list[MemberOut], **ERRORS})
def list_people(request: HttpRequest, org: str) -> list[MemberOut]:
    """Everyone in the organization with their role, by e-mail (admins)."""
    ctx = member_context(request, org)
    ctx.require(Permission.MANAGE_PEOPLE)
    return [_member(membership) for membership in people_of(ctx.org)]


@router.post("/orgs/{org}/people", response={200: InvitationOut, **ERRORS})
def invite(request: HttpRequest, org: str, payload: InviteIn) -> InvitationOut:
    """Add people by e-mail with one role (admins). People without an account get one and an
    invitation to choose a password. One address that is not valid and nobody is added (422)."""
    ctx = member_context(request, org)
    ctx.require(Permission.MANAGE_PEOPLE)
    result = invite_people(
        org=ctx.org,
        emails=payload.emails,
        role=payload.role,
        invited_by=ctx.user,
    )
    if result.invalid:
        raise ValidationError(
            {"emails": [f"These are not e-mail addresses: {', '.join(result.invalid)}."]}
        )
    return InvitationOut(added=result.added, already_members=result.already_members)


@router.patch("/orgs/{org}/people/{membership}", response={200: MemberOut, **ERRORS})
def set_role(request: HttpRequest, org: str, membership: int, payload: RoleIn) -> MemberOut:
    """Give a member another role (admins); demoting the last admin is refused (422)."""
    ctx = member_context(request, org)
    found = access_membership(ctx, membership_id=membership)
    changed = change_role(
        org=ctx.org, membership_id=found.pk, role=payload.role, changed_by=ctx.user
    )
    return _member(changed)


@router.delete("/orgs/{org}/people/{membership}", response={204: None, **ERRORS})
def remove(request: HttpRequest, org: str, membership: int) -> Status[None]:
    """Take a person out of the organization (admins); their account stays. Removing the
    last admin is refused (422)."""
    ctx = member_context(request, org)
    found = access_membership(ctx, membership_id=membership)
    remove_member(org=ctx.org, membership_id=found.pk, removed_by=ctx.user)
    return Status(204, None)
