"""Links to the site that e-mails carry: the log-in page, and a link to choose a password.

Every link starts with the site's configured address (``cadenza.lib.site_address``), never
the request's host: an e-mail sent from a page and one sent by a task point to the same site.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cadenza.accounts.models import User
from cadenza.lib.site_address import absolute_url


def site_link(path: str) -> str:
    return absolute_url(path)


def log_in_link() -> str:
    return site_link(reverse("login"))


def choose_password_link(*, user: User) -> str:
    """The password-reset link, which also serves people who have no password yet; it works
    once (choosing a password changes what the token was made from)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_link(path)
