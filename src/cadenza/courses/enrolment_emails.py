"""The e-mail someone gets when an instructor enrols them by address.

Whether the address had an account is never shown to the instructor (accounts cannot be
discovered); the person learns what fits by e-mail: a link to choose a password for a new
account, the log-in link for an existing one (``accounts.access_email``, shared with the
invitation to an organization).
"""

from __future__ import annotations

from django.utils import timezone

from cadenza.accounts.access_email import queue_access_email
from cadenza.accounts.models import User
from cadenza.courses.models import Enrolment


def queue_enrolment_email(*, enrolment: Enrolment, enrolled_by: User, new_account: bool) -> None:
    """Queue (in the caller's transaction) the e-mail for an enrolment that just became
    active; one per activation."""
    course = enrolment.course
    activated = timezone.now().isoformat()
    queue_access_email(
        user=enrolment.user,
        new_account=new_account,
        subject=f"You are enrolled in {course.title} on Cadenza",
        template="courses/enrolment_email.txt",
        context={"course": course, "org": course.org, "enrolled_by": enrolled_by},
        dedupe_key=f"enrolled-by-email:{enrolment.pk}:{enrolment.enrolled_by_id}:{activated}",
        org_id=course.org_id,
    )
