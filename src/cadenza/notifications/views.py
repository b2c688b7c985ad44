"""The notification centre, reading notices, e-mail preferences and the one-click unsubscribe.

A person's own pages (``/notifications/``), not an organization's: one centre and one bell for
everything a person is told, across their organizations (``selectors.visible_notifications``:
rows of organizations they have left are not shown and answer 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.notifications.actions.inbox import mark_all_read, mark_read
from cadenza.notifications.actions.preferences import (
    BadUnsubscribeLink,
    set_email_preference,
    unsubscribe,
)
from cadenza.notifications.forms import EmailPreferencesForm
from cadenza.notifications.kinds import kind_named
from cadenza.notifications.selectors import (
    access_notification,
    email_preferences,
    unread_count,
    visible_notifications,
)
from cadenza.notifications.unsubscribe_tokens import read_token

PER_PAGE = 25


def _person(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def notification_centre(request: HttpRequest) -> HttpResponse:
    """Every notice, latest first, 25 a page; ``?show=unread`` for the unread ones only."""
    person = _person(request)
    unread_only = request.GET.get("show") == "unread"
    notices = visible_notifications(person.pk)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "unread_only": unread_only, "unread": unread_count(person.pk)},
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notification_centre")


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notice read and go to the thing it is about."""
    person = _person(request)
    notice = mark_read(
        user=person,
        notification=access_notification(user=person, notification_id=notification_id),
    )
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notification_centre")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    person = _person(request)
    mark_read(
        user=person,
        notification=access_notification(user=person, notification_id=notification_id),
    )
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = mark_all_read(user=_person(request))
    messages.success(request, f"Marked {marked} as read." if marked else "Nothing was unread.")
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """When to e-mail the person about each kind of notification."""
    person = _person(request)
    form = EmailPreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=email_preferences(person.pk),
    )
    if request.method == "POST" and form.is_valid():
        for kind, choice in form.cleaned_data.items():
            try:
                set_email_preference(user=person, kind=kind, email=choice)
            except ValidationError as error:  # a kind unregistered meanwhile
                form.add_error(None, error)
        if not form.errors:
            messages.success(request, "Your e-mail preferences are saved.")
            return redirect("notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mails' one-click unsubscribe (RFC 8058), no log-in: a POST (what mail programs
    send, ``List-Unsubscribe=One-Click``, and the page's button) turns the kind's e-mail off.
    A GET only asks (link checkers open links). CSRF-exempt: a mail program posts without a
    token; the signed token is the authority and says exactly one thing to turn off. A token
    that does not verify: 400, nothing changed."""
    if request.method == "GET":
        found = read_token(token)
        if found is None:
            return _bad_link(
                request, "This unsubscribe link is not valid (it may have been cut short)."
            )
        kind = kind_named(found.kind)
        label = kind.label if kind is not None else found.kind
        return render(
            request,
            "notifications/unsubscribe.html",
            {"token": token, "label": label, "done": False},
        )
    try:
        _user, label = unsubscribe(token=token)
    except BadUnsubscribeLink as error:
        return _bad_link(request, str(error))
    return render(request, "notifications/unsubscribe.html", {"label": label, "done": True})


def _bad_link(request: HttpRequest, detail: str) -> HttpResponse:
    return render(request, "notifications/unsubscribe_bad.html", {"detail": detail}, status=400)
