"""Calendar pages: the person's feed link (make, copy, revoke), the public feed it points to,
and one session's ``.ics`` download.

The feed itself answers without a login (calendar clients cannot sign in): the secret token in
its URL is the credential, so it is mounted at the site's root, not under /o/<org>/, and an
unknown or revoked token is a plain 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cadenza.live.schedule.actions.calendar_feeds import calendar_feed_for, revoke_calendar_feed
from cadenza.live.schedule.calendar import person_feed, session_ics
from cadenza.live.schedule.selectors import active_calendar_feed, feed_owner, session_for_download
from cadenza.live.schedule.views.sessions import org_context

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The person's calendar link; POST ``make`` creates one, ``revoke`` replaces it."""
    ctx = org_context(request, org_slug)
    if request.method == "POST":
        match request.POST.get("action"):
            case "make":
                calendar_feed_for(user=ctx.user)
                messages.success(request, "Your calendar link is ready.")
            case "revoke":
                revoke_calendar_feed(user=ctx.user)
                messages.success(
                    request, "The old link no longer works; here is a new one to subscribe to."
                )
            case _:
                return render(
                    request,
                    "live/calendar_settings.html",
                    {"ctx": ctx, "feed_url": None, "error": "Choose to make or revoke a link."},
                    status=400,
                )
        return redirect("calendar_settings", org_slug=ctx.org.slug)
    feed = active_calendar_feed(ctx.user)
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": feed.token}))
        if feed is not None
        else None
    )
    return render(request, "live/calendar_settings.html", {"ctx": ctx, "feed_url": feed_url})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's live sessions as an iCalendar feed (no login: the token is the secret)."""
    user = feed_owner(token=token)
    response = HttpResponse(person_feed(user, site_url=_site(request)), CALENDAR_CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="cadenza.ics"'
    return response


@login_required
@require_GET
def session_calendar(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """One session as a calendar file to download."""
    ctx = org_context(request, org_slug)
    session = session_for_download(ctx, session_id=session_id)
    response = HttpResponse(session_ics(session, site_url=_site(request)), CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="live-session-{session.pk}.ics"'
    return response
