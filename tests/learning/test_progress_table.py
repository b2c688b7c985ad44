"""The instructor's progress table: values, who may see it, the CSV export, query count."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.models import Enrolment, EnrolmentStatus, UnitKind
from cadenza.learning.actions.progress import complete_unit, record_unit_activity, visit_unit
from cadenza.learning.selectors.progress import progress_table
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import access_org
from tests.factories import enrol, make_user
from tests.learning.conftest import CourseBuilder

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_table_lists_each_active_learner_with_exact_figures(
    build_course: CourseBuilder, org: Organization, instructor: User
) -> None:
    built = build_course(units=4, kinds=(UnitKind.READING, UnitKind.KNOWLEDGE_CHECK))
    ada = make_user(org, Role.LEARNER, display_name="Ada", email="ada@example.org")
    bob = make_user(org, Role.LEARNER, display_name="Bob", time_zone="Asia/Tokyo")
    gone = make_user(org, Role.LEARNER, display_name="Gone")
    for person in (bob, ada, gone):
        enrol(built.course, person)
    Enrolment.objects.filter(user=gone).update(status=EnrolmentStatus.WITHDRAWN)
    visit_unit(user=ada, unit=built.units[0], now=T0)
    record_unit_activity(user=ada, unit=built.units[0], active_seconds=50, now=T0)
    complete_unit(user=ada, unit=built.units[0], now=T0 + timedelta(minutes=1))
    complete_unit(user=ada, unit=built.units[1], score_percent=85.0, now=T0 + timedelta(minutes=9))

    table = progress_table(access_org(user=instructor, slug=org.slug), built.course)

    assert table.checks == [built.units[1]]
    assert table.total_units == 4
    assert [
        (
            row.user,
            row.progress.completed,
            row.progress.percent,
            row.time_spent_seconds,
            row.last_activity,
            row.check_scores,
        )
        for row in table.rows
    ] == [
        (ada, 2, 50, 50, T0 + timedelta(minutes=9), [85.0]),
        (bob, 0, 0, 0, None, [None]),
    ]


def test_page_shows_names_times_in_the_viewers_zone_and_scores(
    build_course: CourseBuilder, org: Organization
) -> None:
    viewer = make_user(org, Role.INSTRUCTOR, time_zone="Europe/Paris")
    built = build_course(units=2, kinds=(UnitKind.KNOWLEDGE_CHECK,))
    ada = make_user(org, Role.LEARNER, display_name="Ada Lovelace", email="ada@example.org")
    enrol(built.course, ada)
    complete_unit(user=ada, unit=built.units[0], score_percent=92.0, now=T0)

    response = signed_in(viewer).get(reverse("course_progress", args=[org.slug, built.course.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in html
    assert "ada@example.org" in html
    assert "2 Mar 2026, 10:00 (Europe/Paris)" in html
    assert "92%" in html
    assert "50%" in html


def test_learners_are_refused_the_progress_table(
    build_course: CourseBuilder, org: Organization, learner: User
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)

    response = signed_in(learner).get(
        reverse("course_progress", args=[org.slug, built.course.slug])
    )
    as_csv = signed_in(learner).get(
        reverse("course_progress", args=[org.slug, built.course.slug]) + "?format=csv"
    )

    assert response.status_code == 403
    assert as_csv.status_code == 403


def test_teaching_assistants_may_see_the_progress_table(
    build_course: CourseBuilder, org: Organization
) -> None:
    ta = make_user(org, Role.TA)
    built = build_course(units=1)

    response = signed_in(ta).get(reverse("course_progress", args=[org.slug, built.course.slug]))

    assert response.status_code == 200


def test_another_organizations_course_progress_answers_404(
    build_course: CourseBuilder, org: Organization, other_org: Organization, instructor: User
) -> None:
    foreign = build_course(units=1, target_org=other_org)

    mine = signed_in(instructor).get(
        reverse("course_progress", args=[org.slug, foreign.course.slug])
    )
    theirs = signed_in(instructor).get(
        reverse("course_progress", args=[other_org.slug, foreign.course.slug])
    )

    assert mine.status_code == 404
    assert theirs.status_code == 404


def test_csv_export_neutralizes_formulas(
    build_course: CourseBuilder, org: Organization, instructor: User
) -> None:
    built = build_course(units=2, kinds=(UnitKind.KNOWLEDGE_CHECK,))
    mallory = make_user(
        org,
        Role.LEARNER,
        display_name='=HYPERLINK("http://evil.example","x")',
        email="m@example.org",
    )
    enrol(built.course, mallory)
    complete_unit(user=mallory, unit=built.units[0], score_percent=40.0, now=T0)

    response = signed_in(instructor).get(
        reverse("course_progress", args=[org.slug, built.course.slug]) + "?format=csv"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{built.course.slug}-progress.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Name",
            "E-mail",
            "Time zone",
            "Percent complete",
            "Units completed",
            "Units in course",
            "Time spent (seconds)",
            "Last activity (UTC)",
            "Best score: Unit 1",
        ],
        [
            '\'=HYPERLINK("http://evil.example","x")',
            "m@example.org",
            "UTC",
            "50",
            "1",
            "2",
            "0",
            "2026-03-02T09:00:00+00:00",
            "40.0",
        ],
    ]


def test_progress_table_query_count_does_not_grow_with_learners_or_units(
    build_course: CourseBuilder, org: Organization, instructor: User
) -> None:
    counts = []
    for units, learners in ((5, 2), (60, 25)):
        built = build_course(
            units=units,
            kinds=(UnitKind.KNOWLEDGE_CHECK, UnitKind.READING, UnitKind.KNOWLEDGE_CHECK),
        )
        for _ in range(learners):
            person = make_user(org, Role.LEARNER)
            enrol(built.course, person)
            complete_unit(user=person, unit=built.units[0], score_percent=70.0)
            visit_unit(user=person, unit=built.units[1])
        client = signed_in(instructor)
        url = reverse("course_progress", args=[org.slug, built.course.slug])
        client.get(url)
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as export:
            assert client.get(url + "?format=csv").status_code == 200
        counts.append((len(page.captured_queries), len(export.captured_queries)))

    # session, user, membership, course, enrolments, units, and two aggregates over the
    # progress rows, for the page and for its CSV alike
    assert counts == [(8, 8), (8, 8)]
