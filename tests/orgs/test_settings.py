"""Organization settings: name, default zone, accent colour, logo, self-join."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cadenza.orgs.models import Organization
from tests.factories import make_org, make_user
from tests.orgs.conftest import Staff

pytestmark = pytest.mark.django_db


def _image(image_format: str, size: tuple[int, int] = (64, 32), noise: bool = False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def _form(**overrides: object) -> dict[str, object]:
    return {
        "name": "Riverside Health",
        "time_zone": "America/Chicago",
        "accent_colour": "#AA3300",
        "allow_self_join": "on",
        **overrides,
    }


def _state(org: Organization) -> tuple[str, str, str, bool, str]:
    org.refresh_from_db()
    return (org.name, org.time_zone, org.accent_colour, org.allow_self_join, org.logo.name or "")


def test_admin_sees_the_current_settings(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    response = client.get(reverse("org_settings", args=[staff.org.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Riverside Clinic"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_logo">Logo:</label>' in html


def test_admin_saves_name_zone_colour_self_join_and_logo(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    logo = SimpleUploadedFile("brand.PNG", _image("PNG"), content_type="image/png")
    response = client.post(reverse("org_settings", args=[staff.org.slug]), _form(logo=logo))
    assert response.status_code == 302
    name, zone, colour, self_join, logo_name = _state(staff.org)
    assert (name, zone, colour, self_join) == (
        "Riverside Health",
        "America/Chicago",
        "#aa3300",
        True,
    )
    assert logo_name.startswith("org-logos/clinic-")
    assert logo_name.endswith(".png")
    with staff.org.logo.open("rb") as stored:
        assert stored.read() == _image("PNG")


def test_logo_gets_the_extension_of_its_real_format(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    logo = SimpleUploadedFile("brand.png", _image("WEBP"), content_type="image/png")
    client.post(reverse("org_settings", args=[staff.org.slug]), _form(logo=logo))
    assert _state(staff.org)[4].endswith(".webp")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("big.png", _image("PNG", (700, 700), noise=True), "image/png"),
            "The logo is too large: the limit is 1 MB.",
        ),
        (
            SimpleUploadedFile("anim.gif", _image("GIF"), "image/gif"),
            "The logo must be a PNG, JPEG or WebP image.",
        ),
        (
            SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", "image/png"),
            "The logo must be a PNG, JPEG or WebP image.",
        ),
    ],
    ids=["too-large", "gif", "html-named-png"],
)
def test_bad_logo_is_rejected_and_nothing_changes(
    client: Client, staff: Staff, upload: SimpleUploadedFile, message: str
) -> None:
    client.force_login(staff.admin)
    before = _state(staff.org)
    response = client.post(reverse("org_settings", args=[staff.org.slug]), _form(logo=upload))
    assert response.status_code == 400
    assert response.context["form"].errors["logo"] == [message]
    assert _state(staff.org) == before


def test_admin_removes_the_logo(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    url = reverse("org_settings", args=[staff.org.slug])
    client.post(url, _form(logo=SimpleUploadedFile("a.jpg", _image("JPEG"), "image/jpeg")))
    stored = _state(staff.org)[4]
    assert stored.endswith(".jpg")
    response = client.post(url, _form(remove_logo="on"))
    assert response.status_code == 302
    assert _state(staff.org)[4] == ""


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"accent_colour": "red"}, "accent_colour"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_settings_are_form_errors_and_nothing_changes(
    client: Client, staff: Staff, overrides: dict[str, str], field: str
) -> None:
    client.force_login(staff.admin)
    before = _state(staff.org)
    response = client.post(reverse("org_settings", args=[staff.org.slug]), _form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _state(staff.org) == before


@pytest.mark.parametrize("who", ["learner", "instructor", "ta"])
def test_settings_are_forbidden_to_non_admins(client: Client, staff: Staff, who: str) -> None:
    client.force_login(getattr(staff, who))
    before = _state(staff.org)
    url = reverse("org_settings", args=[staff.org.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, _form()).status_code == 403
    assert _state(staff.org) == before


def test_members_see_the_logo_and_other_organizations_do_not(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    logo = SimpleUploadedFile("brand.png", _image("PNG"), content_type="image/png")
    client.post(reverse("org_settings", args=[staff.org.slug]), _form(logo=logo))
    page = client.get(reverse("dashboard", args=[staff.org.slug]))
    assert f'<img src="/o/{staff.org.slug}/logo/" alt="" height="28">' in page.content.decode()
    response = client.get(reverse("org_logo", args=[staff.org.slug]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _image("PNG")  # type: ignore[attr-defined]

    outsider = make_user(make_org())
    client.force_login(outsider)
    assert client.get(reverse("org_logo", args=[staff.org.slug])).status_code == 404


def test_the_settings_page_previews_the_current_logo_from_an_address_that_answers(
    client: Client, staff: Staff
) -> None:
    client.force_login(staff.admin)
    logo = SimpleUploadedFile("brand.png", _image("PNG"), content_type="image/png")
    client.post(reverse("org_settings", args=[staff.org.slug]), _form(logo=logo))
    page = client.get(reverse("org_settings", args=[staff.org.slug])).content.decode()
    preview = f'<img src="/o/{staff.org.slug}/logo/" alt="Riverside Health logo" height="40">'
    assert f"<p>Current logo: {preview}</p>" in page
    response = client.get(f"/o/{staff.org.slug}/logo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _image("PNG")  # type: ignore[attr-defined]
