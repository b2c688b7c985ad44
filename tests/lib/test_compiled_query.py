"""A query compiled once gives what the ORM gives, with each call's own values, in one query."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model, QuerySet
from pytest_django import DjangoAssertNumQueries

from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Unit
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.orgs.models import Membership
from tests.factories import make_course, make_module, make_org, make_unit, make_user


def _fields(obj: Model) -> dict[str, Any]:
    """What was loaded of ``obj`` (deferred fields are not read, so not queried)."""
    loaded = obj.get_deferred_fields()
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in loaded
    }


def _memberships(slug: str, user_id: int) -> QuerySet[Membership]:
    return Membership.objects.select_related("org").filter(org__slug=slug, user_id=user_id)


MEMBERSHIP = CompiledQuery(Membership, lambda slug, user_id: _memberships(slug, user_id)[:1])


@pytest.mark.django_db
def test_each_call_runs_the_same_sql_with_its_own_values_and_builds_the_same_models(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    first, second = make_org(slug="first-org"), make_org(slug="second-org")
    alice = make_user(first)
    bob = make_user(second)

    with django_assert_num_queries(1):
        found = MEMBERSHIP.first(slug="first-org", user_id=alice.pk)
    with django_assert_num_queries(1) as captured:
        again = MEMBERSHIP.first(slug="second-org", user_id=bob.pk)

    expected = _memberships("second-org", bob.pk).get()
    assert found is not None
    assert again is not None
    assert (found.org.slug, found.user_id) == ("first-org", alice.pk)
    assert _fields(again) == _fields(expected)
    # select_related: the organization came with the row, as the ORM's does.
    with django_assert_num_queries(0):
        assert _fields(again.org) == _fields(expected.org)
    assert again._state.db == "default"
    assert again._state.adding is False
    assert captured.captured_queries[0]["sql"].count("'second-org'") == 1
    assert MEMBERSHIP.first(slug="first-org", user_id=bob.pk) is None


@pytest.mark.django_db
def test_rows_keep_the_querysets_order_and_deferred_fields() -> None:
    org = make_org()
    course = make_course(org)
    module = make_module(course)
    units = [make_unit(module, title=f"Unit {n}") for n in range(3)]
    titles = CompiledQuery(
        Unit,
        lambda course_id: (
            Unit.objects.filter(course_id=course_id).order_by("-position").only("id", "title")
        ),
    )

    rows = titles.all(course_id=course.pk)

    assert [(u.pk, u.title) for u in rows] == [(u.pk, u.title) for u in reversed(units)]
    assert rows[0].get_deferred_fields() >= {"body", "kind", "position"}
    assert titles.all(course_id=course.pk + 1000) == []


@pytest.mark.django_db
def test_converted_values_are_the_ormss_own_types() -> None:
    org = make_org()
    course = make_course(org)
    publish_course(course=course)
    by_slug = CompiledQuery(
        Course, lambda org_id, slug: Course.objects.filter(org_id=org_id, slug=slug)[:1]
    )

    found = by_slug.first(org_id=org.pk, slug=course.slug)

    assert found is not None
    expected = Course.objects.get(pk=course.pk)
    assert _fields(found) == _fields(expected)
    assert type(found.open_enrolment) is bool  # not SQLite's 0 or 1
    assert found.published_at == expected.published_at
    assert found.published_at is not None


@pytest.mark.django_db
def test_a_value_the_builder_transforms_is_not_compiled_and_the_orm_runs_instead(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    org = make_org()
    course = make_course(org, slug="sepsis")
    # The SQL holds ``slug.lower()``, not the value given: the sample is not found among the
    # parameters, so each call runs the ORM (still one query, still right).
    lowered = CompiledQuery(
        Course,
        lambda org_id, slug: Course.objects.filter(org_id=org_id, slug=slug.lower())[:1],
    )

    with django_assert_num_queries(1):
        assert lowered.first(org_id=org.pk, slug="SEPSIS") == course
    assert lowered.first(org_id=org.pk, slug="OTHER") is None


@pytest.mark.django_db
def test_a_datetime_is_adapted_as_the_orm_adapts_it() -> None:
    org = make_org()
    course = make_course(org)
    publish_course(course=course)
    published_at = Course.objects.get(pk=course.pk).published_at
    assert published_at is not None
    published_before = CompiledQuery(
        Course, lambda org_id, now: Course.objects.filter(org_id=org_id, published_at__lt=now)
    )

    assert published_before.all(org_id=org.pk, now=published_at + timedelta(seconds=1)) == [course]
    assert published_before.all(org_id=org.pk, now=published_at) == []
