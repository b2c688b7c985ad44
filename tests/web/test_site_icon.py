"""`/favicon.ico` answers with the site's icon instead of a 404 on every first visit."""

from pathlib import Path

from django.test import Client

import cadenza.web

ICON = Path(cadenza.web.__file__).parent / "static/web/favicon.ico"


def test_the_site_icon_answers_at_the_root_for_anyone(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response["Cache-Control"] == "public, max-age=86400"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body == ICON.read_bytes()
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_the_site_icon_is_only_read(client: Client) -> None:
    assert client.post("/favicon.ico").status_code == 405
