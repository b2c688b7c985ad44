"""Personal access tokens: made once and shown once, stored as a digest, scoped, revocable,
acting with the person's own permissions; documented in the schema; the docs self-hosted."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from cadenza.accounts.actions import create_access_token
from cadenza.accounts.models import PersonalAccessToken, TokenScope, User
from cadenza.orgs.models import Organization, Role
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def org() -> Organization:
    return make_org(slug="harbour")


@pytest.fixture
def ana(org: Organization) -> User:
    return make_user(org, Role.LEARNER, email="ana@example.org", display_name="Ana")


def _bearer(secret: str, method: str, path: str, body: Any | None = None) -> Any:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    call = getattr(client, method)
    if body is None:
        return call(API + path)
    return call(API + path, data=json.dumps(body), content_type="application/json")


def test_a_token_made_through_the_api_is_shown_once_and_stored_as_a_digest(ana: User) -> None:
    client = Client()
    client.force_login(ana)
    response = client.post(
        API + "/tokens",
        data=json.dumps({"name": "export", "scope": "read"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    assert re.fullmatch(r"cdz_[A-Za-z0-9_-]{43}", secret)
    assert (body["name"], body["scope"], body["prefix"]) == ("export", "read", secret[:12])
    stored = PersonalAccessToken.objects.get()
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.digest, stored.prefix, stored.name}

    listed = client.get(API + "/tokens").json()
    assert [t["prefix"] for t in listed] == [secret[:12]]
    assert "token" not in listed[0]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "export", "scope": "read", "owner": 1},
        {"name": "   ", "scope": "read"},
        {"name": "ex\x1bport", "scope": "read"},
        {"name": "export", "scope": "admin"},
        ["export", "read"],
    ],
)
def test_a_token_body_that_is_not_the_declared_one_is_refused_and_makes_nothing(
    ana: User, body: Any
) -> None:
    client = Client()
    client.force_login(ana)
    response = client.post(API + "/tokens", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert PersonalAccessToken.objects.count() == 0


def test_a_bearer_token_acts_as_its_person(ana: User) -> None:
    _token, secret = create_access_token(user=ana, name="s", scope=TokenScope.READ)
    response = _bearer(secret, "get", "/me")
    assert response.status_code == 200
    assert response.json()["email"] == "ana@example.org"
    orgs = _bearer(secret, "get", "/orgs").json()
    assert [(m["org"]["slug"], m["role"]) for m in orgs] == [("harbour", "learner")]


def test_a_token_has_its_persons_permissions_and_no_more(ana: User, org: Organization) -> None:
    make_org(slug="elsewhere")
    _token, secret = create_access_token(user=ana, name="s", scope=TokenScope.WRITE)
    assert _bearer(secret, "get", "/orgs/harbour/people").status_code == 403
    assert _bearer(secret, "get", "/orgs/elsewhere/courses").status_code == 404


def test_a_read_only_token_is_refused_on_writes_and_nothing_changes(ana: User) -> None:
    _token, secret = create_access_token(user=ana, name="s", scope=TokenScope.READ)
    response = _bearer(secret, "patch", "/me", {"display_name": "Mallory"})
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This token is read-only: make a read-write token to write."
    }
    ana.refresh_from_db()
    assert ana.display_name == "Ana"


def test_a_read_write_token_writes_without_a_csrf_token(ana: User) -> None:
    _token, secret = create_access_token(user=ana, name="s", scope=TokenScope.WRITE)
    response = _bearer(secret, "patch", "/me", {"display_name": "Ana Lima"})
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.display_name == "Ana Lima"
    assert PersonalAccessToken.objects.get().last_used_at is not None


def test_a_revoked_or_unknown_token_is_a_401_with_a_json_body(ana: User) -> None:
    token, secret = create_access_token(user=ana, name="s", scope=TokenScope.WRITE)
    client = Client()
    client.force_login(ana)
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    for candidate in (secret, "cdz_" + "A" * 43, "not-a-token"):
        response = _bearer(candidate, "get", "/me")
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}


def test_someone_elses_token_cannot_be_revoked(ana: User, org: Organization) -> None:
    token, secret = create_access_token(user=ana, name="s", scope=TokenScope.READ)
    bo = make_user(org, email="bo@example.org")
    client = Client()
    client.force_login(bo)
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 404
    assert _bearer(secret, "get", "/me").status_code == 200


def test_a_token_cannot_make_or_revoke_tokens(ana: User) -> None:
    token, secret = create_access_token(user=ana, name="s", scope=TokenScope.WRITE)
    assert _bearer(secret, "post", "/tokens", {"name": "more"}).status_code == 403
    assert _bearer(secret, "delete", f"/tokens/{token.pk}").status_code == 403
    assert PersonalAccessToken.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_token_by_password_and_its_throttle(ana: User, settings: Settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.0.0.7")

    def ask(password: str) -> Any:
        return client.post(
            API + "/tokens/password",
            data=json.dumps({"email": "ANA@example.org", "password": password, "name": "cli"}),
            content_type="application/json",
        )

    made = ask(PASSWORD)
    assert made.status_code == 201
    assert made.json()["scope"] == "read"
    wrong = ask("wrong-guess")
    assert (wrong.status_code, wrong.json()) == (
        401,
        {"detail": "Wrong e-mail address or password."},
    )
    ask("wrong-guess")
    ask("wrong-guess")
    refused = ask(PASSWORD)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["detail"].startswith("Too many failed log-ins")
    assert PersonalAccessToken.objects.count() == 1


def test_the_schema_documents_the_bearer_scheme_and_401(ana: User) -> None:
    schema = Client().get(API + "/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {"TokenAuth": []} in me["security"]
    assert "401" in me["responses"]
    by_password = schema["paths"]["/api/v1/tokens/password"]["post"]
    assert "security" not in by_password
    assert {"401", "429"} <= set(by_password["responses"])


def test_the_schema_has_no_key_twice_in_any_object(ana: User) -> None:
    """Swagger UI refuses a schema with a duplicated key ("401" beside 401 once did)."""
    doubled: list[str] = []

    def no_twins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        doubled.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(pairs)

    raw = Client().get(API + "/openapi.json").content
    json.loads(raw, object_pairs_hook=no_twins)
    assert doubled == []
    me = json.loads(raw)["paths"]["/api/v1/me"]["get"]["responses"]["401"]
    assert me["description"] == "Not signed in, or an unknown or revoked token"


def test_the_docs_page_loads_only_from_the_site_itself(settings: Settings) -> None:
    response = Client().get(API + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "/static/ninja/swagger-ui-bundle.js" in urls
    assert "http://" not in html
    assert "https://" not in html
    static = Client().get("/static/ninja/swagger-ui-bundle.js")
    assert static.status_code == 200
    static.close()


def test_the_profile_page_makes_shows_once_and_revokes_tokens(ana: User) -> None:
    client = Client()
    client.force_login(ana)
    response = client.post(reverse("access_tokens"), {"name": "grades", "scope": "write"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r'<code id="new-token">(cdz_[^<]+)</code>', response.content.decode())
    assert match is not None
    secret = match.group(1)
    assert _bearer(secret, "get", "/me").status_code == 200

    again = client.get(reverse("access_tokens")).content.decode()
    assert secret not in again
    assert f"<code>{secret[:12]}…</code>" in again

    token = PersonalAccessToken.objects.get()
    response = client.post(reverse("access_token_revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 302
    assert _bearer(secret, "get", "/me").status_code == 401


def test_the_profile_page_refuses_a_token_without_a_name(ana: User) -> None:
    client = Client()
    client.force_login(ana)
    response = client.post(reverse("access_tokens"), {"name": "  ", "scope": "read"})
    assert response.status_code == 400
    assert PersonalAccessToken.objects.count() == 0
