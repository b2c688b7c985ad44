"""Writes to organizations and memberships."""

from __future__ import annotations

from django.db import transaction

from cadenza.accounts.models import User
from cadenza.orgs.models import Membership, Organization, Role


@transaction.atomic
def create_organization(
    *,
    slug: str,
    name: str,
    time_zone: str = "UTC",
    accent_colour: str = "#1f6feb",
    allow_self_join: bool = False,
) -> Organization:
    """Create a tenant. Validation errors raise ``ValidationError`` before anything is saved."""
    org = Organization(
        slug=slug,
        name=name,
        time_zone=time_zone,
        accent_colour=accent_colour,
        allow_self_join=allow_self_join,
    )
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def add_member(*, org: Organization, user: User, role: Role) -> Membership:
    """Give ``user`` a role in ``org``; if they are already a member, set the new role."""
    membership, created = Membership.objects.get_or_create(
        org=org, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership
