"""The live benchmark's data: one organization, one course with a live session, N learners.

Run by ``bench/live/run.py`` in its own process with the benchmark's ``DATABASE_URL`` and
``REDIS_URL`` set (after ``cadenza migrate``): ``python bench/live/seed.py N``. Prints one JSON
object on stdout: the session id, the session cookie name and one cookie value per person
(the first is the host).

The organization, course, module, session and host are made through the product's actions.
The N learners, their memberships, enrolments and login sessions are bulk-inserted: creating
5,000 people through ``create_user`` would spend minutes hashing passwords, and what is measured
here is the room, not sign-up. The rows are the ones the actions write (an active membership
and enrolment; a Django session holding the user id, backend and auth hash).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadenza.config.settings")


def main(participants: int) -> dict[str, object]:
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from cadenza.accounts.actions import create_user
    from cadenza.accounts.models import User
    from cadenza.courses.actions import add_module, create_course, publish_course
    from cadenza.courses.models import Enrolment
    from cadenza.live.models import SessionFormat
    from cadenza.live.schedule.actions.scheduling import schedule_live_session
    from cadenza.orgs.actions import add_member, create_organization
    from cadenza.orgs.models import Membership, Role

    org = create_organization(slug="bench", name="Bench Hospital")
    host = create_user(email="host@bench.example.org", password=get_random_string(24))
    add_member(org=org, user=host, role=Role.INSTRUCTOR)
    course = create_course(org=org, title="Bench course", slug="bench", created_by=None)
    module = add_module(course=course, title="Week 1")
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    scheduled = schedule_live_session(
        module=module,
        title="Bench room",
        agenda="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        hosts=[host],
        format=SessionFormat.CLASS,
        created_by=host,
    )
    publish_course(course=course)
    session = scheduled.sessions[0]

    backend = settings.AUTHENTICATION_BACKENDS[0]
    with transaction.atomic():
        users = [
            User(
                username=f"p{i}@bench.example.org",
                email=f"p{i}@bench.example.org",
                display_name=f"Participant {i}",
                password="!" + get_random_string(40),
            )
            for i in range(participants - 1)
        ]
        User.objects.bulk_create(users, batch_size=1000)
        learners = list(
            User.objects.filter(email__endswith="@bench.example.org").exclude(pk=host.pk)
        )
        learners.sort(key=lambda u: u.pk)
        Membership.objects.bulk_create(
            [Membership(org=org, user=u, role=Role.LEARNER) for u in learners], batch_size=1000
        )
        Enrolment.objects.bulk_create(
            [Enrolment(org=org, course=course, user=u) for u in learners], batch_size=1000
        )
        people = [host, *learners]
        expiry = timezone.now() + timedelta(days=1)
        store = SessionStore()
        keys: list[str] = []
        rows: list[Session] = []
        for user in people:
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            rows.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expiry)
            )
            keys.append(key)
        Session.objects.bulk_create(rows, batch_size=1000)
    return {
        "session_id": session.pk,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookies": keys,
        "user_ids": [u.pk for u in people],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
