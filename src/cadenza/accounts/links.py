"""Links to the site that e-mails carry: the log-in page, and a link to choose a password.

An e-mail queued by an action has no request: the caller passes the site's address
(``site_url``, the request's scheme and host), else ``CADENZA_SITE_URL`` is used.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cadenza.accounts.models import User


def site_link(path: str, *, site_url: str = "") -> str:
    return (site_url or settings.CADENZA_SITE_URL).rstrip("/") + path


def log_in_link(*, site_url: str = "") -> str:
    return site_link(reverse("login"), site_url=site_url)


def choose_password_link(*, user: User, site_url: str = "") -> str:
    """The password-reset link, which also serves people who have no password yet; it works
    once (choosing a password changes what the token was made from)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_link(path, site_url=site_url)
