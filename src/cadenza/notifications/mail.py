"""A notification's e-mail: plain text and HTML, links on the site's configured address, and a
one-click unsubscribe (RFC 8058: ``List-Unsubscribe`` and, when the site is on https,
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``; the address takes a POST without a
log-in or a CSRF token, its signed token is the authority, ``unsubscribe_tokens``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.lib.site_address import absolute_url
from cadenza.notifications.events import Notice
from cadenza.notifications.kinds import NotificationKind
from cadenza.notifications.unsubscribe_tokens import unsubscribe_path


@dataclass(frozen=True, slots=True)
class NotificationEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def notification_email(
    *, person: User, kind: NotificationKind, notice: Notice
) -> NotificationEmail:
    unsubscribe = absolute_url(unsubscribe_path(user_id=person.pk, kind=kind.key))
    context = {
        "person": person,
        "kind": kind,
        "notice": notice,
        "link": absolute_url(notice.path) if notice.path and notice.email_link_label else "",
        "preferences": absolute_url(reverse("notification_preferences")),
        "unsubscribe": unsubscribe,
    }
    return NotificationEmail(
        subject=notice.title,
        text=render_to_string("notifications/email.txt", context),
        html=render_to_string("notifications/email.html", context),
        headers=unsubscribe_headers(unsubscribe),
    )


def unsubscribe_headers(address: str) -> dict[str, str]:
    """``List-Unsubscribe`` always; the one-click ``List-Unsubscribe-Post`` only with an https
    address (RFC 8058 section 3.1: the one-click signal names an HTTPS URI)."""
    headers = {"List-Unsubscribe": f"<{address}>"}
    if address.startswith("https://"):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers
