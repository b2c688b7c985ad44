"""Facts the page benchmark needs from inside a Django project, printed as JSON.

``python bench/probe.py cadenza`` (``DJANGO_SETTINGS_MODULE=cadenza.config.settings``): the ids
of the demo course's first reading and first knowledge-check units, its enrolled learners and
the number of SQL queries each benchmarked page runs (a revisit, as under load).
``python bench/probe.py bare`` (``bare_django.settings``): the bare page's query count.

Queries are counted with Django's test client on the benchmark's own database; the probe runs
before the servers start, so it measures nothing but the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import django


def _count_queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # a first visit may create rows (a unit's progress); count a revisit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in the probe")
    return len(captured.captured_queries)


def probe_cadenza(*, org_slug: str, course_slug: str, instructor_email: str) -> dict[str, Any]:
    """Unit ids, learners and per-page query counts of the demo course."""
    from django.test import Client

    from cadenza.accounts.models import User
    from cadenza.courses.models import Enrolment, EnrolmentStatus, Unit, UnitKind

    units = list(
        Unit.objects.filter(course__org__slug=org_slug, course__slug=course_slug).order_by(
            "module__position", "module_id", "position", "id"
        )
    )
    reading = next(unit for unit in units if unit.kind == UnitKind.READING)
    check = next(unit for unit in units if unit.kind == UnitKind.KNOWLEDGE_CHECK)
    learners = list(
        Enrolment.objects.filter(
            course__org__slug=org_slug, course__slug=course_slug, status=EnrolmentStatus.ACTIVE
        )
        .order_by("id")
        .values_list("user__email", flat=True)
    )
    base = f"/o/{org_slug}/"
    course = f"{base}courses/{course_slug}/"
    learner_pages = {
        "dashboard": base,
        "outline": course,
        "reading": f"{course}units/{reading.pk}/",
        "check": f"{course}units/{check.pk}/",
    }
    learner = Client(HTTP_HOST="127.0.0.1")
    learner.force_login(User.objects.get(email=learners[0]))
    queries = {name: _count_queries(learner, path) for name, path in learner_pages.items()}
    progress = f"{base}teach/courses/{course_slug}/progress/"
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(User.objects.get(email=instructor_email))
    queries["progress"] = _count_queries(staff, progress)
    return {
        "paths": {**learner_pages, "progress": progress},
        "units": len(units),
        "learners": learners,
        "queries": queries,
        "query_count_learner": learners[0],
    }


def probe_bare() -> dict[str, Any]:
    from django.test import Client

    return {"queries": {"bare": _count_queries(Client(HTTP_HOST="127.0.0.1"), "/")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", choices=["cadenza", "bare"])
    parser.add_argument("--org", default="riverside")
    parser.add_argument("--course", default="sepsis-protocol")
    parser.add_argument("--instructor", default="")
    args = parser.parse_args()
    if args.project == "cadenza":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadenza.config.settings")
    django.setup()
    if args.project == "bare":
        facts = probe_bare()
    else:
        facts = probe_cadenza(
            org_slug=args.org, course_slug=args.course, instructor_email=args.instructor
        )
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    main()
