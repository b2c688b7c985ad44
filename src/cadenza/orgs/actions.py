"""Writes to organizations and memberships."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.access_email import queue_access_email
from cadenza.accounts.actions import create_user
from cadenza.accounts.models import User
from cadenza.orgs.email_lists import parse_email_list
from cadenza.orgs.logos import check_logo
from cadenza.orgs.models import Membership, Organization, Removal, Role
from cadenza.orgs.policy import Permission, may


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
    """Give ``user`` a role in ``org``; if they are already a member, set the new role.

    Staff adding someone lifts an earlier removal (``Removal``) of that person.
    """
    Removal.objects.filter(org=org, user=user).delete()
    membership, created = Membership.objects.get_or_create(
        org=org, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@dataclass(frozen=True, slots=True)
class InvitationResult:
    """What ``invite_people`` did. ``added`` lists everyone who became a member (each was
    e-mailed); ``already_members`` were left as they were; ``invalid`` lists pieces that are
    not e-mail addresses, in which case nothing at all was written. Whether an address had an
    account on the platform is deliberately not said: an admin of one organization must not
    learn who has an account."""

    added: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


class LastAdminError(ValidationError):
    """Refused: the change would leave the organization without an admin."""


REMOVED_NOTICE = (
    "An admin of {org} removed you from it, so you cannot join again by yourself. "
    "Ask an admin to invite you again."
)


class RemovedError(PermissionDenied):
    """Refused: an admin removed this person from the organization (see ``Removal``)."""


@transaction.atomic
def invite_people(
    *,
    org: Organization,
    emails: Iterable[str],
    role: Role,
    invited_by: User,
) -> InvitationResult:
    """Add everyone in ``emails`` (lines as pasted; see ``parse_email_list``) with ``role``.

    All or nothing: one piece that is not an address and nothing is written. Everyone added
    is e-mailed (through the outbox) what fits: people without an account get one with no
    usable password and a link to choose one; people with one, the log-in link (both on the
    site's configured address).
    """
    _require(org=org, user=invited_by, permission=Permission.MANAGE_PEOPLE)
    parsed = parse_email_list("\n".join(emails))
    if parsed.invalid:
        return InvitationResult(invalid=parsed.invalid)
    accounts = {user.email: user for user in User.objects.filter(email__in=parsed.valid)}
    member_ids = set(
        Membership.objects.filter(org=org, user__in=list(accounts.values())).values_list(
            "user_id", flat=True
        )
    )
    result = InvitationResult()
    for email in parsed.valid:
        user = accounts.get(email)
        if user is not None and user.pk in member_ids:
            result.already_members.append(email)
            continue
        new_account = user is None
        if user is None:
            user = create_user(email=email, password=None, time_zone=org.time_zone)
        _queue_invitation(org=org, user=user, invited_by=invited_by, new_account=new_account)
        Removal.objects.filter(org=org, user=user).delete()
        Membership.objects.create(org=org, user=user, role=role)
        result.added.append(email)
    return result


def _queue_invitation(
    *, org: Organization, user: User, invited_by: User, new_account: bool
) -> None:
    queue_access_email(
        user=user,
        new_account=new_account,
        subject=f"You are invited to {org.name} on Cadenza",
        template="orgs/invitation_email.txt",
        context={"org": org, "invited_by": invited_by},
        dedupe_key=f"invitation:{org.pk}:{user.pk}:{timezone.now().isoformat()}",
        org_id=org.pk,
    )


@transaction.atomic
def change_role(
    *, org: Organization, membership_id: int, role: Role, changed_by: User
) -> Membership:
    """Give a member another role. Raises ``LastAdminError`` (nothing changed) when it would
    demote the organization's last admin, and ``Membership.DoesNotExist`` for a membership
    of another organization."""
    _require(org=org, user=changed_by, permission=Permission.MANAGE_PEOPLE)
    membership = _lock_membership(org=org, membership_id=membership_id)
    if membership.role == role:
        return membership
    if membership.role == Role.ADMIN:
        _ensure_another_admin(org=org, membership=membership, acting=changed_by, verb="demote")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, org: Organization, membership_id: int, removed_by: User) -> None:
    """Take a person out of the organization (their account stays). Raises ``LastAdminError``
    (nothing changed) for the last admin, ``Membership.DoesNotExist`` for another org's.

    The removal is recorded: the person cannot join again by themselves, even where anyone
    may join, until an admin invites or adds them again.
    """
    _require(org=org, user=removed_by, permission=Permission.MANAGE_PEOPLE)
    membership = _lock_membership(org=org, membership_id=membership_id)
    if membership.role == Role.ADMIN:
        _ensure_another_admin(org=org, membership=membership, acting=removed_by, verb="remove")
    membership.delete()
    Removal.objects.update_or_create(
        org=org, user_id=membership.user_id, defaults={"removed_by": removed_by}
    )


@transaction.atomic
def update_organization(
    *,
    org: Organization,
    name: str,
    time_zone: str,
    accent_colour: str,
    allow_self_join: bool,
    changed_by: User,
    logo: File[bytes] | None = None,
    remove_logo: bool = False,
) -> Organization:
    """Change an organization's name, default zone, branding and joining rule.

    ``logo`` replaces the current one (checked by ``check_logo``: PNG/JPEG/WebP up to 1 MB,
    stored under a random name with the extension of its real format); ``remove_logo`` drops
    it. Raises ``ValidationError`` with nothing saved for any bad value.
    """
    _require(org=org, user=changed_by, permission=Permission.MANAGE_ORGANIZATION)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    old_logo = org.logo.name or ""
    org.name = name.strip()
    org.time_zone = time_zone
    org.accent_colour = accent_colour.lower()
    org.allow_self_join = allow_self_join
    if logo is not None:
        extension = check_logo(logo)
        org.full_clean(exclude=["logo"])
        org.logo.save(f"{org.slug}-{uuid.uuid4().hex}.{extension}", logo, save=False)
    elif remove_logo:
        org.logo = None
    org.full_clean()
    org.save()
    if old_logo and old_logo != (org.logo.name or ""):
        storage = org.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo), robust=True)
    return org


@transaction.atomic
def join_organization(*, org: Organization, user: User) -> Membership:
    """A signed-in person joins an organization open to everyone, as a learner.

    Someone who is a member already keeps the role they have. Raises ``PermissionDenied``
    when the organization does not allow joining, and ``RemovedError`` (nothing written) for
    someone an admin removed from it and has not invited again.
    """
    if not org.allow_self_join:
        raise PermissionDenied("This organization does not let people join by themselves.")
    if Removal.objects.filter(org=org, user=user).exists():
        raise RemovedError(REMOVED_NOTICE.format(org=org.name))
    membership, _created = Membership.objects.get_or_create(
        org=org, user=user, defaults={"role": Role.LEARNER}
    )
    return membership


def _require(*, org: Organization, user: User, permission: Permission) -> None:
    role = Membership.objects.filter(org=org, user=user).values_list("role", flat=True).first()
    if not may(role, permission):
        raise PermissionDenied(f"Your role does not allow this ({permission.value}).")


def _lock_membership(*, org: Organization, membership_id: int) -> Membership:
    return (
        Membership.objects.select_for_update().select_related("user").get(org=org, pk=membership_id)
    )


def _ensure_another_admin(
    *, org: Organization, membership: Membership, acting: User, verb: str
) -> None:
    # Lock every admin row so two admins demoting each other at once cannot both succeed.
    admins = list(
        Membership.objects.select_for_update()
        .filter(org=org, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if any(pk != membership.pk for pk in admins):
        return
    if membership.user_id == acting.pk:
        message = (
            f"You cannot {verb} yourself: you are the last admin of {org.name}. "
            "Make someone else an admin first."
        )
    else:
        message = (
            f"You cannot {verb} {membership.user.name}: they are the last admin of {org.name}. "
            "Make someone else an admin first."
        )
    raise LastAdminError(message, code="last_admin")
