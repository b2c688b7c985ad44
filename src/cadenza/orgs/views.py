"""Organization admin pages (people, settings) and joining an open organization.

Every page gets its organization through ``access_org`` (404 for non-members), except
``org_join``, which serves people who are not members yet and uses ``joinable_org``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.orgs.actions import (
    REMOVED_NOTICE,
    RemovedError,
    change_role,
    invite_people,
    join_organization,
    remove_member,
    update_organization,
)
from cadenza.orgs.forms import ChangeRoleForm, InvitePeopleForm, OrgSettingsForm
from cadenza.orgs.models import Role
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import (
    OrgContext,
    access_membership,
    access_org,
    is_member,
    joinable_org,
    people_of,
    was_removed,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _people_page(
    request: HttpRequest,
    ctx: OrgContext,
    *,
    form: InvitePeopleForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "orgs/people.html",
        {
            "ctx": ctx,
            "people": people_of(ctx.org),
            "form": form or InvitePeopleForm(),
            "roles": Role.choices,
            "error": error,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_people(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The people of the organization; a POST adds people by e-mail."""
    ctx = access_org(user=_user(request), slug=org_slug)
    ctx.require(Permission.MANAGE_PEOPLE)
    if request.method != "POST":
        return _people_page(request, ctx)
    form = InvitePeopleForm(request.POST)
    if not form.is_valid():
        return _people_page(request, ctx, form=form, status=400)
    result = invite_people(
        org=ctx.org,
        emails=form.cleaned_data["emails"],
        role=Role(form.cleaned_data["role"]),
        invited_by=ctx.user,
    )
    if result.invalid:
        form.add_error("emails", f"These are not e-mail addresses: {', '.join(result.invalid)}.")
        return _people_page(request, ctx, form=form, status=400)
    summary = f"Added {len(result.added)}"
    if result.added:
        summary += " (each was sent an e-mail)"
    if result.already_members:
        summary += f"; already members: {', '.join(result.already_members)}"
    messages.success(request, summary + ".")
    return redirect("org_people", org_slug=ctx.org.slug)


@login_required
@require_POST
def org_member_role(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    """Give one member another role."""
    ctx = access_org(user=_user(request), slug=org_slug)
    membership = access_membership(ctx, membership_id=membership_id)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        return _people_page(request, ctx, error="Choose one of the listed roles.", status=400)
    new_role = Role(form.cleaned_data["role"])
    try:
        change_role(
            org=ctx.org,
            membership_id=membership.pk,
            role=new_role,
            changed_by=ctx.user,
        )
    except ValidationError as refusal:
        return _people_page(request, ctx, error=" ".join(refusal.messages), status=400)
    messages.success(request, f"{membership.user.name} is now {new_role.label}.")
    return redirect("org_people", org_slug=ctx.org.slug)


@login_required
@require_POST
def org_member_remove(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    """Take one member out of the organization."""
    ctx = access_org(user=_user(request), slug=org_slug)
    membership = access_membership(ctx, membership_id=membership_id)
    try:
        remove_member(org=ctx.org, membership_id=membership.pk, removed_by=ctx.user)
    except ValidationError as refusal:
        return _people_page(request, ctx, error=" ".join(refusal.messages), status=400)
    messages.success(request, f"{membership.user.name} is no longer a member.")
    if membership.user_id == ctx.user.pk:
        return redirect("home")
    return redirect("org_people", org_slug=ctx.org.slug)


@login_required
@require_http_methods(["GET", "POST"])
def org_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Name, default zone, branding and joining rule of the organization."""
    ctx = access_org(user=_user(request), slug=org_slug)
    ctx.require(Permission.MANAGE_ORGANIZATION)
    form = OrgSettingsForm(
        request.POST or None, request.FILES or None, initial=OrgSettingsForm.initial_for(ctx.org)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_organization(
                    org=ctx.org,
                    name=data["name"],
                    time_zone=data["time_zone"],
                    accent_colour=data["accent_colour"],
                    allow_self_join=data["allow_self_join"],
                    logo=data["logo"],
                    remove_logo=data["remove_logo"],
                    changed_by=ctx.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The organization's settings are saved.")
                return redirect("org_settings", org_slug=ctx.org.slug)
        return render(request, "orgs/settings.html", {"ctx": ctx, "form": form}, status=400)
    return render(request, "orgs/settings.html", {"ctx": ctx, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def org_join(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Join an organization open to everyone, as a learner (GET shows the button).

    Resolved with ``joinable_org``, not ``access_org``: the person is not a member yet. An
    organization closed to self-join answers 404. Someone an admin removed is refused (403,
    the reason on the page) until an admin invites them again.
    """
    user = _user(request)
    org = joinable_org(slug=org_slug)
    if is_member(org=org, user=user):
        return redirect("dashboard", org_slug=org.slug)
    if request.method != "POST":
        error = REMOVED_NOTICE.format(org=org.name) if was_removed(org=org, user=user) else ""
        return render(request, "orgs/join.html", {"org": org, "error": error})
    try:
        join_organization(org=org, user=user)
    except RemovedError as refusal:
        return render(request, "orgs/join.html", {"org": org, "error": str(refusal)}, status=403)
    messages.success(request, f"Welcome to {org.name}.")
    return redirect("dashboard", org_slug=org.slug)


@login_required
@require_GET
def org_logo(request: HttpRequest, org_slug: str) -> FileResponse:
    """The organization's logo, for its members only (uploads are never public URLs)."""
    ctx = access_org(user=_user(request), slug=org_slug)
    if not ctx.org.logo:
        raise Http404("This organization has no logo.")
    response = FileResponse(ctx.org.logo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
