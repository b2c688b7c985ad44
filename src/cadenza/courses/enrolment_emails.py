"""The e-mail someone gets when an instructor enrols them by address.

Whether the address had an account is never shown to the instructor (accounts cannot be
discovered); the person learns what fits by e-mail: a link to choose a password for a new
account, the log-in link for an existing one.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cadenza.accounts.links import choose_password_link, log_in_link
from cadenza.accounts.models import User
from cadenza.accounts.outgoing_email import queue_email
from cadenza.courses.models import Enrolment


def queue_enrolment_email(
    *, enrolment: Enrolment, enrolled_by: User, new_account: bool, site_url: str
) -> None:
    """Queue (in the caller's transaction) the e-mail for an enrolment that just became
    active; one per activation."""
    course, user = enrolment.course, enrolment.user
    activated = timezone.now().isoformat()
    link = (
        choose_password_link(user=user, site_url=site_url)
        if new_account
        else log_in_link(site_url=site_url)
    )
    body = render_to_string(
        "courses/enrolment_email.txt",
        {
            "course": course,
            "org": course.org,
            "user": user,
            "enrolled_by": enrolled_by,
            "new_account": new_account,
            "link": link,
        },
    )
    queue_email(
        to=user.email,
        subject=f"You are enrolled in {course.title} on Cadenza",
        body=body,
        dedupe_key=f"enrolled-by-email:{enrolment.pk}:{enrolment.enrolled_by_id}:{activated}",
        org_id=course.org_id,
    )
