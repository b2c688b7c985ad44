"""Reading organizations and memberships; resolving the organization a request acts in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.orgs.models import Membership, Organization, Removal, Role
from cadenza.orgs.policy import Permission, may

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class OrgContext:
    """The organization a request acts in and the requester's role there.

    Every view and API call gets one through ``access_org`` and passes it on, so every query
    is scoped to ``org`` and every permission check sees ``role``.
    """

    org: Organization
    user: User
    role: Role

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)

    def require(self, permission: Permission) -> None:
        """Refuse with 403: the person belongs here but their role does not allow this."""
        if not self.may(permission):
            raise PermissionDenied(f"Your role does not allow this ({permission.value}).")


# On every page: compiled once per process (cadenza.lib.compiled_query).
_MEMBERSHIP = CompiledQuery(
    Membership,
    lambda slug, user_id: (
        Membership.objects.select_related("org").filter(org__slug=slug, user_id=user_id)
    ).order_by()[:1],
)


def access_org(*, user: User, slug: str) -> OrgContext:
    """The organization ``slug`` as seen by ``user``; 404 unless they are a member.

    A non-member gets the same answer as for a slug that does not exist, so organizations
    cannot be discovered by probing.
    """
    if not user.is_authenticated:
        raise Http404("No such organization.")
    # One membership per (organization, person): no ORDER BY. ``first()`` would order by the
    # model's default (the organization's name, the person's name), which joins the user
    # table on every request for nothing.
    membership = _MEMBERSHIP.first(slug=slug, user_id=user.pk)
    if membership is None:
        raise Http404("No such organization.")
    return OrgContext(org=membership.org, user=user, role=Role(membership.role))


def scoped(queryset: QuerySet[M], org: Organization | int) -> QuerySet[M]:
    """Restrict an organization-owned queryset to ``org`` (or its id): the one helper every
    query uses."""
    return queryset.filter(org=org)


def memberships_of(user: User) -> QuerySet[Membership]:
    """The organizations a person belongs to, for the organization switcher."""
    return Membership.objects.filter(user=user).select_related("org").order_by("org__name")


def people_of(org: Organization) -> QuerySet[Membership]:
    """Everyone in an organization with their role, for the admin's people page."""
    return Membership.objects.filter(org=org).select_related("user").order_by("user__email")


def access_membership(ctx: OrgContext, *, membership_id: int) -> Membership:
    """One membership of the request's organization, for the people page's admin; 404 for
    another organization's or a missing one, 403 for someone who may not manage people."""
    ctx.require(Permission.MANAGE_PEOPLE)
    membership = (
        scoped(Membership.objects.select_related("user"), ctx.org).filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def joinable_org(*, slug: str) -> Organization:
    """An organization anyone signed in may join, found by slug without being a member.

    Organizations closed to self-join answer 404 exactly like missing ones, so they cannot
    be discovered by probing.
    """
    org = Organization.objects.filter(slug=slug, allow_self_join=True).first()
    if org is None:
        raise Http404("No such organization.")
    return org


def is_member(*, org: Organization, user: User) -> bool:
    """Whether ``user`` already belongs to ``org`` (any role)."""
    return Membership.objects.filter(org=org, user=user).exists()


def was_removed(*, org: Organization, user: User) -> bool:
    """Whether an admin removed ``user`` from ``org`` and has not invited them again."""
    return Removal.objects.filter(org=org, user=user).exists()
