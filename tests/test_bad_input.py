"""Malformed input on every organization URL gets a clear 4xx or a form error, never a 500.

Like the tenancy matrix, the list of URLs comes from the URL map, so new pages are covered.
Each URL is tried by a person entitled to it (learner pages by the enrolled learner, staff
pages by the admin) with garbage form fields, a garbage JSON body and garbage query strings.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_tenant_isolation import build_site, is_staff_page, organization_urls, url_for

pytestmark = pytest.mark.django_db

GARBAGE_FORM = {
    "title": "x" * 5000,
    "slug": "../../etc/passwd",
    "kind": "<script>",
    "role": "owner",
    "emails": "not-an-email\n@@@",
    "position_seconds": "NaN",
    "played_seconds": "-1e309",
    "active_seconds": "abc",
    "duration_seconds": "Infinity",
    "choice": ["999999", "abc"],
    "number": "1e999",
    "text": "\x00" * 10,
    "direction": "sideways",
    "module": "-5",
    "published": "maybe",
    "time_zone": "Mars/Olympus",
    "accent_colour": "red",
}
GARBAGE_JSON = '{"position_seconds": [1, 2], "active_seconds": {"a": 1}, '


def test_no_url_answers_a_server_error_to_malformed_input() -> None:
    site = build_site("gamma")
    client = Client(raise_request_exception=True)
    tried = 0
    for route, name in organization_urls():
        client.force_login(site.admin if is_staff_page(route, name) else site.learner)
        url = url_for(route, name, org_slug=site.org.slug, site=site)
        responses = [
            client.post(url, GARBAGE_FORM),
            client.post(url, GARBAGE_JSON, content_type="application/json"),
            client.get(url, {"kind": "nonsense", "format": "exe", "page": "-1", "direction": "x"}),
        ]
        for response in responses:
            response.close()  # downloads and videos stream from an open file
            assert response.status_code < 500, (name, url, response.status_code)
        tried += 1
    assert tried == len(organization_urls())
