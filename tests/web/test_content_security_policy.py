"""Every page answers with the Content-Security-Policy, its inline blocks carry the response's
nonce, and only the live room's page may name its video server (decision 0010).

The pages come from the URL map, as in the accessibility audit, so a page added later is
checked without anyone adding it here. That the pages also *work* under the policy is
tests/browser/test_content_security_policy.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, VideoProvider
from cadenza.live.providers.actions import update_video_settings
from cadenza.web.csp import origin_of
from tests.live.conftest import Classroom, build_classroom
from tests.web.conftest import DemoSite
from tests.web.test_accessibility import NOT_PAGES, named_routes, url_variants, viewers

pytestmark = pytest.mark.django_db

SHARED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-N'"],
    "style-src": ["'self'", "'nonce-N'"],
    "img-src": ["'self'", "data:", "https:"],
    "media-src": ["'self'", "https:"],
    "connect-src": ["'self'", "ws://testserver", "wss://testserver"],
    "font-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_of(header: str) -> dict[str, list[str]]:
    """The header as {directive: sources}; the nonce's value replaced by ``N``."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = [re.sub(r"^'nonce-.+'$", "'nonce-N'", s) for s in sources]
    return directives


def nonce_of(header: str) -> str | None:
    found = re.search(r"'nonce-([^']+)'", header)
    return found.group(1) if found else None


class _InlineCode(HTMLParser):
    """What in a page the policy would block unless it has the nonce (inline <script> and
    <style>) or at all (event handler and style attributes, javascript: links)."""

    def __init__(self) -> None:
        super().__init__()
        self.nonces: list[str] = []
        self.forbidden: list[str] = []

    def handle_starttag(self, tag: str, pairs: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in pairs}
        inline_script = tag == "script" and "src" not in attrs
        if (inline_script and attrs.get("type") != "application/json") or tag == "style":
            self.nonces.append(attrs.get("nonce", ""))
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.forbidden.append(f"<{tag} {name}=...>")
            link = name in ("href", "src", "action")
            if link and value.strip().lower().startswith("javascript:"):
                self.forbidden.append(f"<{tag} {name}={value}>")


def _problems(url: str, response: object) -> list[str]:
    header = response.get("Content-Security-Policy")  # type: ignore[attr-defined]
    if not header:
        return [f"{url}: no Content-Security-Policy"]
    problems = []
    policy = policy_of(header)
    for directive in ("script-src", "style-src"):
        unsafe = {"'unsafe-inline'", "'unsafe-eval'"} & set(policy.get(directive, []))
        if unsafe:
            problems.append(f"{url}: {directive} allows {sorted(unsafe)}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{url}: frame-ancestors {policy.get('frame-ancestors')}")
    if response.get("Content-Type", "").startswith("text/html"):  # type: ignore[attr-defined]
        inline = _InlineCode()
        inline.feed(response.content.decode())  # type: ignore[attr-defined]
        expected = nonce_of(header)
        problems += [f"{url}: {found}" for found in inline.forbidden]
        problems += [
            f"{url}: an inline block with nonce {nonce!r}, the header's is {expected!r}"
            for nonce in inline.nonces
            if not nonce or nonce != expected
        ]
    return problems


def test_every_page_answers_with_the_policy_and_its_inline_blocks_carry_the_nonce(
    demo_site: DemoSite,
) -> None:
    clients: dict[str, Client] = {}
    problems: list[str] = []
    checked = 0
    for route, name in named_routes():
        if name in NOT_PAGES:
            continue
        viewer = viewers(route, name)[0]
        if viewer not in clients:
            clients[viewer] = Client()
            if viewer != "anonymous":
                clients[viewer].force_login(demo_site.people[viewer])
        for url in url_variants(route, name, demo_site):
            response = clients[viewer].get(url, follow=True)
            assert response.status_code == 200, url
            problems += _problems(url, response)
            checked += 1
    assert problems == [], "\n".join(problems)
    assert checked > 60


def test_admin_error_and_api_pages_answer_with_the_policy(demo_site: DemoSite) -> None:
    operator = User.objects.create_superuser(
        email="operator@cadenza.example", username="operator@cadenza.example", password="x"
    )
    anonymous, learner, staff = Client(), Client(), Client()
    learner.force_login(demo_site.people["learner"])
    staff.force_login(operator)
    slug = demo_site.org.slug
    answers = {
        "/admin/login/": anonymous.get("/admin/login/"),
        "/admin/": staff.get("/admin/"),
        "/admin/courses/course/": staff.get("/admin/courses/course/"),
        "/api/v1/docs": learner.get("/api/v1/docs"),
        "403": learner.get(reverse("teach", kwargs={"org_slug": slug})),
        "404": learner.get(f"/o/{slug}/courses/nope/"),
    }
    assert {url: response.status_code for url, response in answers.items()} == {
        "/admin/login/": 200,
        "/admin/": 200,
        "/admin/courses/course/": 200,
        "/api/v1/docs": 200,
        "403": 403,
        "404": 404,
    }
    problems = [problem for url, answer in answers.items() for problem in _problems(url, answer)]
    assert problems == []


def test_the_policy_every_page_shares(demo_site: DemoSite) -> None:
    client = Client()
    client.force_login(demo_site.people["learner"])
    response = client.get(reverse("dashboard", kwargs={"org_slug": demo_site.org.slug}))
    header = response["Content-Security-Policy"]
    assert policy_of(header) == SHARED_POLICY
    nonce = nonce_of(header)
    assert nonce is not None
    style = f'<style nonce="{nonce}">:root {{ --accent: #0b7a75; }}</style>'
    assert style in response.content.decode()
    again = client.get(reverse("dashboard", kwargs={"org_slug": demo_site.org.slug}))
    assert nonce_of(again["Content-Security-Policy"]) not in (None, nonce)


def test_the_error_page_needs_no_inline_style() -> None:
    """The 500 page is rendered without a request, so it cannot have a nonce."""
    html = render_to_string("500.html")
    assert "<style" not in html
    assert '<link rel="stylesheet" href="/static/web/error.css">' in html


def _video(room: Classroom, provider: VideoProvider) -> None:
    """The organization's Jitsi and BigBlueButton servers, and the session on ``provider``."""
    update_video_settings(
        org=room.org,
        default_provider=provider,
        jitsi_domain="meet.harbour.example",
        jitsi_app_id="cadenza",
        jitsi_app_secret="a-secret-of-at-least-32-characters-long",
        bbb_url="https://bbb.harbour.example/bigbluebutton/",
        bbb_secret="another-secret-of-32-characters-or-more",
        stun_urls="",
        turn_username="",
        turn_credential=None,
        changed_by=room.admin,
    )
    LiveSession.objects.filter(pk=room.session.pk).update(provider=provider)


def _room_page(room: Classroom, who: User) -> tuple[bytes, dict[str, list[str]]]:
    client = Client()
    client.force_login(who)
    page = client.get(reverse("live_room", args=[room.org.slug, room.session.pk]))
    assert page.status_code == 200
    return page.content, policy_of(page["Content-Security-Policy"])


def test_only_the_live_room_may_load_the_organizations_jitsi_server(db: None) -> None:
    room = build_classroom()
    _video(room, VideoProvider.JITSI)
    content, policy = _room_page(room, room.ada)
    assert b"https://meet.harbour.example/external_api.js" in content
    assert policy["script-src"] == ["'self'", "'nonce-N'", "https://meet.harbour.example"]
    assert policy["frame-src"] == ["https://meet.harbour.example"]
    assert policy["form-action"] == ["'self'"]
    client = Client()
    client.force_login(room.ada)
    dashboard = client.get(reverse("dashboard", kwargs={"org_slug": room.org.slug}))
    assert policy_of(dashboard["Content-Security-Policy"]) == SHARED_POLICY | {
        "script-src": ["'self'", "'nonce-N'"]
    }


def test_the_host_may_be_sent_on_to_the_bigbluebutton_server_from_the_room(db: None) -> None:
    """The host's start form posts to us and is redirected to the BigBlueButton server, which
    ``form-action`` must allow (Chromium checks a form's redirects too)."""
    room = build_classroom()
    _video(room, VideoProvider.BIGBLUEBUTTON)
    content, policy = _room_page(room, room.host)
    assert b"Start the BigBlueButton meeting and join" in content
    assert policy["form-action"] == ["'self'", "https://bbb.harbour.example"]
    assert policy["script-src"] == ["'self'", "'nonce-N'"]
    assert "frame-src" not in policy


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://meet.example.org/external_api.js", "https://meet.example.org"),
        ("https://bbb.example.org:8443/bigbluebutton/api/join?x=1", "https://bbb.example.org:8443"),
        ("https://user:pw@meet.example.org/", "https://meet.example.org"),
        ("https://MEET.example.org/", "https://meet.example.org"),
        ("http://10.0.0.7/", "http://10.0.0.7"),
        ("javascript:alert(1)", None),
        ("https://a;script-src *.evil/", None),
        ("https://a'b/", None),
        ("https://a b/", None),
        ("https:///path", None),
        ("https://x.org:99999/", None),
        ("//meet.example.org/", None),
        ("", None),
    ],
)
def test_a_page_adds_only_a_plain_origin(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin
