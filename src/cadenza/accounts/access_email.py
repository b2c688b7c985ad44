"""The e-mail someone gets when another person gives them access by their address: an admin
invites them to an organization (``orgs.actions.invite_people``), an instructor enrols them
in a course (``courses.actions.enrol_by_emails``).

Whether the address had an account is never shown to the person who gave access (accounts
cannot be discovered): the e-mail carries what fits, a link to choose a password for an
account made just now, the log-in link for an existing one. That choice and the paragraph
that offers the link (``accounts/access_email_link.txt``, which each e-mail's template
includes) are written here once; the callers say only what the access is.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from cadenza.accounts.links import choose_password_link, log_in_link
from cadenza.accounts.models import User
from cadenza.accounts.outgoing_email import queue_email


def queue_access_email(
    *,
    user: User,
    new_account: bool,
    subject: str,
    template: str,
    context: dict[str, Any],
    dedupe_key: str,
    org_id: int,
) -> None:
    """Queue (in the caller's transaction) the e-mail telling ``user`` about their access.

    ``template`` is rendered with ``context`` plus ``user``, ``new_account`` and ``link``
    (choose a password when ``new_account``, else log in; both on the site's configured
    address, ``cadenza.lib.site_address``). ``dedupe_key`` makes a retry of the same action a no-op.
    """
    link = choose_password_link(user=user) if new_account else log_in_link()
    body = render_to_string(
        template, {**context, "user": user, "new_account": new_account, "link": link}
    )
    queue_email(to=user.email, subject=subject, body=body, dedupe_key=dedupe_key, org_id=org_id)
