"""The organization's video settings page: admins only, secrets never shown, inputs checked."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.live.models import LiveVideoSettings
from cadenza.orgs.models import Organization, Role
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db

JITSI_SECRET = "jitsi-app-secret-0123456789abcdefghij"


def _form(**overrides: str) -> dict[str, str]:
    return {
        "default_provider": "jitsi",
        "jitsi_domain": "Meet.Example.org",
        "jitsi_app_id": "cadenza",
        "jitsi_app_secret": JITSI_SECRET,
        "bbb_url": "https://bbb.example.org/bigbluebutton/",
        "bbb_secret": "bbb-shared-secret",
        "stun_urls": "stun:stun.example.org:3478\r\n\r\nturn:turn.example.org:3478?transport=tcp",
        "turn_username": "cadenza",
        "turn_credential": "turn-credential",
        **overrides,
    }


def _stored(org: Organization) -> tuple[str, ...]:
    row = LiveVideoSettings.objects.get(org=org)
    return (
        row.default_provider,
        row.jitsi_domain,
        row.jitsi_app_id,
        row.jitsi_app_secret,
        row.bbb_url,
        row.bbb_secret,
        row.stun_urls,
        row.turn_username,
        row.turn_credential,
    )


SAVED = (
    "jitsi",
    "meet.example.org",
    "cadenza",
    JITSI_SECRET,
    "https://bbb.example.org/bigbluebutton/",
    "bbb-shared-secret",
    "stun:stun.example.org:3478\nturn:turn.example.org:3478?transport=tcp",
    "cadenza",
    "turn-credential",
)


@pytest.fixture
def org() -> Organization:
    return make_org("clinic", name="Riverside Clinic")


@pytest.fixture
def admin_client(client: Client, org: Organization) -> Client:
    client.force_login(make_user(org, Role.ADMIN, email="admin@example.org"))
    return client


def _url(org: Organization) -> str:
    return reverse("live_video_settings", args=[org.slug])


def test_url_is_under_the_organization() -> None:
    assert reverse("live_video_settings", args=["clinic"]) == "/o/clinic/video/"


def test_admin_sees_the_defaults_before_anything_is_saved(
    admin_client: Client, org: Organization
) -> None:
    response = admin_client.get(_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="builtin" selected>' in html
    assert '<label for="id_jitsi_app_secret">Jitsi app secret</label>' in html
    assert LiveVideoSettings.objects.filter(org=org).count() == 0


def test_admin_saves_every_setting(admin_client: Client, org: Organization) -> None:
    response = admin_client.post(_url(org), _form())
    assert response.status_code == 302
    assert response["Location"] == "/o/clinic/video/"
    assert _stored(org) == SAVED


def test_secrets_are_never_shown_and_blank_keeps_them(
    admin_client: Client, org: Organization
) -> None:
    admin_client.post(_url(org), _form())
    html = admin_client.get(_url(org)).content.decode()
    for secret in (JITSI_SECRET, "bbb-shared-secret", "turn-credential"):
        assert secret not in html
    assert html.count("A value is stored. Leave blank to keep the stored value.") == 3

    blank = _form(jitsi_app_secret="", bbb_secret="", turn_credential="", jitsi_app_id="app2")
    assert admin_client.post(_url(org), blank).status_code == 302
    assert _stored(org) == (*SAVED[:2], "app2", *SAVED[3:])


def test_a_new_secret_replaces_the_stored_one(admin_client: Client, org: Organization) -> None:
    admin_client.post(_url(org), _form())
    admin_client.post(_url(org), _form(bbb_secret="rotated-secret", jitsi_app_secret=""))
    row = LiveVideoSettings.objects.get(org=org)
    assert (row.bbb_secret, row.jitsi_app_secret) == ("rotated-secret", JITSI_SECRET)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bbb_url": "http://bbb.example.org/bigbluebutton/"}, "Use an https:// address"),
        ({"jitsi_domain": "https://meet.example.org"}, "Enter the server&#x27;s host name only"),
        ({"jitsi_domain": "meet example"}, "Enter the server&#x27;s host name only"),
        ({"jitsi_app_secret": "short"}, "Use a secret of at least 32 characters"),
        ({"jitsi_app_id": "", "jitsi_domain": ""}, "Set up Jitsi below before making it"),
        ({"jitsi_app_secret": ""}, "For Jitsi, enter the domain, the app ID and the app secret."),
        ({"bbb_secret": ""}, "Enter the BigBlueButton shared secret."),
        ({"stun_urls": "stun.example.org"}, "These are not STUN or TURN URLs: “stun.example.org”"),
        ({"turn_username": ""}, "TURN servers need a username and a credential."),
        ({"stun_urls": "stun:a.example.org\n" * 11}, "List at most 10 STUN and TURN servers."),
        ({"stun_urls": "stun:" + "a" * 300}, "These are not STUN or TURN URLs"),
        ({"default_provider": "zoom"}, "Select a valid choice."),
    ],
)
def test_bad_values_are_explained_and_nothing_is_saved(
    admin_client: Client, org: Organization, overrides: dict[str, str], message: str
) -> None:
    response = admin_client.post(_url(org), _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LiveVideoSettings.objects.filter(org=org).count() == 0


def test_bigbluebutton_cannot_be_the_default_without_its_server(
    admin_client: Client, org: Organization
) -> None:
    response = admin_client.post(
        _url(org), _form(default_provider="bigbluebutton", bbb_url="", bbb_secret="")
    )
    assert response.status_code == 400
    assert "Set up BigBlueButton below before making it the default." in response.content.decode()


@pytest.mark.parametrize("role", [Role.LEARNER, Role.INSTRUCTOR, Role.TA])
def test_people_who_do_not_manage_the_organization_get_403_and_change_nothing(
    client: Client, org: Organization, role: Role
) -> None:
    LiveVideoSettings.objects.create(org=org, jitsi_app_secret="kept")
    client.force_login(make_user(org, role))
    assert client.get(_url(org)).status_code == 403
    assert client.post(_url(org), _form()).status_code == 403
    row = LiveVideoSettings.objects.get(org=org)
    assert (row.default_provider, row.jitsi_domain, row.jitsi_app_secret) == ("builtin", "", "kept")


def test_admin_of_another_organization_gets_404_and_changes_nothing(
    admin_client: Client, org: Organization
) -> None:
    other = make_org("elsewhere")
    assert admin_client.get(_url(other)).status_code == 404
    assert admin_client.post(_url(other), _form()).status_code == 404
    assert LiveVideoSettings.objects.count() == 0


def test_signed_out_visitors_are_sent_to_log_in(client: Client, org: Organization) -> None:
    response = client.get(_url(org))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_over_long_values_are_a_form_error_not_a_server_error(
    admin_client: Client, org: Organization
) -> None:
    response = admin_client.post(
        _url(org),
        _form(jitsi_app_id="x" * 201, bbb_secret="s" * 201, stun_urls="stun:" + "a" * 5000),
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
    assert LiveVideoSettings.objects.filter(org=org).count() == 0
