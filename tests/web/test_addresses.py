"""An address with a NUL is refused with a 400 before any view (cadenza.web.addresses).

Before, ``/api/v1/orgs/%00/courses`` and ``/api/v1/orgs/<org>/courses/%00`` reached a
database lookup with the NUL, and PostgreSQL answered a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cadenza.courses.models import Course
from cadenza.web.addresses import MESSAGE
from tests.web.conftest import DemoSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor(demo_site: DemoSite) -> Client:
    client = Client()
    client.force_login(demo_site.people["instructor"])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orgs/%00/courses",
        "/api/v1/orgs/riverside/courses/%00",
        "/api/v1/orgs/riverside/courses?slug=%00",
        "/api/v1/orgs/riverside/courses?%00=1",
    ],
)
def test_an_api_address_with_a_nul_is_a_json_400(instructor: Client, url: str) -> None:
    response = instructor.get(url)

    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}


def test_a_page_address_with_a_nul_is_the_400_page(instructor: Client) -> None:
    response = instructor.get("/o/riverside/courses/%00/")

    assert response.status_code == 400
    assert "That request could not be understood" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_write_to_an_address_with_a_nul_changes_nothing(instructor: Client) -> None:
    before = list(Course.objects.values_list("slug", "title"))

    response = instructor.patch(
        "/api/v1/orgs/riverside/courses/%00", {"title": "Renamed"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(Course.objects.values_list("slug", "title")) == before


def test_an_ordinary_address_and_an_escaped_percent_pass(instructor: Client) -> None:
    assert instructor.get("/api/v1/orgs/riverside/courses").status_code == 200
    assert instructor.get("/api/v1/orgs/riverside/courses?slug=%2500").status_code == 200
