"""Preparing a session's polls before it starts, from the session's edit page: a host adds a
poll, changes it or removes it until it is opened. The same actions as the room's host console
(``room.actions.polls``), so a poll prepared here is in the console when the room opens.

Only the session's hosts (and organization admins, who may step in: ``is_moderator``) may;
another organization's session is 404 (``access_session``).
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession
from cadenza.live.room.actions.numbering import RoomRefusal
from cadenza.live.room.actions.polls import (
    MAX_OPTIONS,
    create_poll,
    edit_prepared_poll,
    remove_prepared_poll,
)
from cadenza.live.sessions.access import access_session, is_moderator
from cadenza.live.sessions.prepared_polls import PreparedPoll, session_polls
from cadenza.orgs.selectors import OrgContext, access_org


class PreparedPollForm(forms.Form):
    """A poll's question and its options, one a line; a line starting with ``*`` is a
    correct answer, which makes the poll a quiz."""

    prompt = forms.CharField(label="Question", max_length=500)
    options = forms.CharField(
        label="Options (one a line; start a line with * to mark the correct answer of a quiz)",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    multiple = forms.BooleanField(label="Several answers may be chosen", required=False)
    anonymous = forms.BooleanField(
        label="Anonymous (hosts do not see who voted what)", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in str(data.get("options", "")).splitlines()]
        lines = [line for line in lines if line]
        if "options" in data and not 2 <= len(lines) <= MAX_OPTIONS:
            self.add_error("options", f"Give 2 to {MAX_OPTIONS} options, one a line.")
        data["choices"] = [line.removeprefix("*").strip() for line in lines]
        data["correct"] = [index for index, line in enumerate(lines) if line.startswith("*")]
        return data

    @staticmethod
    def initial_of(poll: PreparedPoll) -> dict[str, Any]:
        lines = [("* " if text in poll.correct else "") + text for text in poll.options]
        return {
            "prompt": poll.prompt,
            "options": "\n".join(lines),
            "multiple": poll.multiple,
            "anonymous": poll.anonymous,
        }


def _host_session(
    request: HttpRequest, org_slug: str, session_id: int
) -> tuple[OrgContext, LiveSession]:
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    session = access_session(ctx, session_id=session_id)
    if not is_moderator(ctx, session):
        raise PermissionDenied("Only the session's hosts prepare its polls.")
    return ctx, session


def _to_edit_page(session: LiveSession) -> HttpResponse:
    return redirect("live_session_edit", org_slug=session.org.slug, session_id=session.pk)


def _form_page(
    request: HttpRequest,
    ctx: OrgContext,
    session: LiveSession,
    form: PreparedPollForm,
    poll: PreparedPoll | None,
) -> HttpResponse:
    return render(
        request,
        "live/prepared_poll_form.html",
        {"ctx": ctx, "session": session, "form": form, "poll": poll},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def add_poll(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """A host prepares a poll from the session's edit page."""
    ctx, session = _host_session(request, org_slug, session_id)
    form = PreparedPollForm(request.POST)
    if form.is_valid():
        try:
            create_poll(
                ctx=ctx,
                session=session,
                prompt=form.cleaned_data["prompt"],
                options=form.cleaned_data["choices"],
                multiple=form.cleaned_data["multiple"],
                anonymous=form.cleaned_data["anonymous"],
                correct=form.cleaned_data["correct"],
                client_event_id=f"prepared-poll:{uuid4()}",
            )
        except RoomRefusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The poll is ready; open it in the room when you want.")
            return _to_edit_page(session)
    return _form_page(request, ctx, session, form, None)


def _poll_of(session: LiveSession, poll_id: int) -> PreparedPoll:
    """A poll of this session (404 for another session's poll)."""
    poll = next((p for p in session_polls(session) if p.poll_id == poll_id), None)
    if poll is None:
        raise Http404("No such poll.")
    return poll


@login_required
@require_http_methods(["GET", "POST"])
def edit_poll(request: HttpRequest, org_slug: str, session_id: int, poll_id: int) -> HttpResponse:
    """A host changes a prepared poll; once opened, the page says it can no longer change."""
    ctx, session = _host_session(request, org_slug, session_id)
    poll = _poll_of(session, poll_id)
    if request.method != "POST":
        form = PreparedPollForm(initial=PreparedPollForm.initial_of(poll))
        return _form_page(request, ctx, session, form, poll)
    form = PreparedPollForm(request.POST)
    if form.is_valid():
        try:
            edit_prepared_poll(
                ctx=ctx,
                session=session,
                poll_id=poll.poll_id,
                prompt=form.cleaned_data["prompt"],
                options=form.cleaned_data["choices"],
                multiple=form.cleaned_data["multiple"],
                anonymous=form.cleaned_data["anonymous"],
                correct=form.cleaned_data["correct"],
                client_event_id=f"prepared-poll:{uuid4()}",
            )
        except RoomRefusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The poll was saved.")
            return _to_edit_page(session)
    return _form_page(request, ctx, session, form, poll)


@login_required
@require_POST
def remove_poll(request: HttpRequest, org_slug: str, session_id: int, poll_id: int) -> HttpResponse:
    """A host removes a prepared poll; an opened one stays (its votes are the record)."""
    ctx, session = _host_session(request, org_slug, session_id)
    poll = _poll_of(session, poll_id)
    try:
        remove_prepared_poll(
            ctx=ctx,
            session=session,
            poll_id=poll.poll_id,
            client_event_id=f"prepared-poll:{uuid4()}",
        )
    except RoomRefusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The poll “{poll.prompt}” was removed.")
    return _to_edit_page(session)
