"""Every page's first two reads, the session and its person: one compiled query each, with
Django's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from cadenza.accounts.models import User
from cadenza.accounts.sessions import SessionStore
from tests.factories import make_user


@pytest.mark.django_db
def test_a_session_saved_by_djangos_store_is_read_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    saved = DjangoSessionStore()
    saved["_auth_user_id"] = "42"
    saved.save()

    store = SessionStore(session_key=saved.session_key)
    with django_assert_num_queries(1):
        assert store["_auth_user_id"] == "42"
    assert store.session_key == saved.session_key


@pytest.mark.django_db
def test_an_expired_or_unknown_session_reads_as_empty_and_gets_no_key() -> None:
    saved = DjangoSessionStore()
    saved["_auth_user_id"] = "42"
    saved.save()
    Session.objects.filter(session_key=saved.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    expired = SessionStore(session_key=saved.session_key)
    unknown = SessionStore(session_key="x" * 32)

    assert expired.get("_auth_user_id") is None
    assert expired.session_key is None
    assert unknown.get("_auth_user_id") is None
    assert unknown.session_key is None


@pytest.mark.django_db
def test_the_signed_in_person_is_read_by_id_in_one_query_as_django_reads_them(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    person = make_user(email="ada@example.org", display_name="Ada")

    with django_assert_num_queries(1):
        found = User.objects.get(pk=person.pk)

    assert found == person
    assert (found.email, found.display_name, found.is_active) == ("ada@example.org", "Ada", True)
    assert type(found.is_active) is bool
    assert User.objects.get(email="ada@example.org") == person
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 1000)
