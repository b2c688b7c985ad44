"""Malformed input on every live endpoint of the API gets a 4xx JSON answer, never a 500.

Like ``tests/test_bad_input.py`` for the pages, the endpoints come from the OpenAPI schema, so
a live endpoint added later is tried without anyone remembering to add it here.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from cadenza.live.models import RoomQuestion
from cadenza.live.room.commands import perform
from tests.api.conftest import API
from tests.live.conftest import build_classroom

pytestmark = pytest.mark.django_db

GARBAGE_BODIES = [
    '{"title": ',
    "[1, 2]",
    json.dumps(
        {
            "title": ["x"],
            "starts_at": "2026-02-30T25:00:00Z",
            "duration_minutes": "1e999",
            "hosts": ["me", None],
            "format": {"a": 1},
            "capacity": -5,
            "attended": "maybe",
            "minutes_present": 10**30,
            "answer": 5,
        }
    ),
    json.dumps({"type": "chat.post", "client_event_id": "x" * 65, "body": "hi"}),
    json.dumps({"type": "chat.post", "client_event_id": "x", "body": "hi", "to": "host"}),
    json.dumps(
        {"type": "poll.vote", "client_event_id": "y", "poll_id": 10**30, "option_ids": [True]}
    ),
    json.dumps({"type": "breakouts.start", "client_event_id": "z", "rooms": [{"name": 1}]}),
    json.dumps({"type": "chat.delete", "client_event_id": "w", "message_id": 10**30}),
]
GARBAGE_QUERY = "?after=abc&limit=1e999"
HUGE_ID = str(10**30)


def test_no_live_endpoint_answers_a_server_error_to_malformed_input() -> None:
    classroom = build_classroom()
    perform(
        user=classroom.ada,
        session_id=classroom.session.pk,
        data={"type": "question.ask", "client_event_id": "q", "body": "Why?"},
    )
    known = {
        "org": "harbour",
        "course": "sepsis",
        "module": str(classroom.session.unit.module_id),
        "session": str(classroom.session.pk),
        "person": str(classroom.ada.pk),
        "question": str(RoomQuestion.objects.get().pk),
        "breakout": "1",
        "language": "en",
    }
    client = Client(raise_request_exception=True)
    client.force_login(classroom.admin)
    schema = client.get(f"{API}/openapi.json").json()["paths"]
    tried = 0
    for path, operations in schema.items():
        if "live-sessions" not in path:
            continue
        params = re.findall(r"{(\w+)}", path)
        assert set(params) <= set(known), f"teach this test about {params}"
        urls = [re.sub(r"{(\w+)}", lambda m: known[m.group(1)], path)]
        urls += [path.replace("{" + name + "}", HUGE_ID).format(**known) for name in params]
        for user in (classroom.admin, classroom.bob):
            client.force_login(user)
            for url in urls:
                for method in operations:
                    call = getattr(client, method)
                    answers = [call(url + GARBAGE_QUERY)]
                    if method != "get":
                        answers += [
                            call(url, body, content_type="application/json")
                            for body in GARBAGE_BODIES
                        ]
                    for answer in answers:
                        assert answer.status_code < 500, (method, url, answer.status_code)
                        if answer.status_code >= 400:
                            assert "detail" in answer.json(), (method, url)
                    tried += 1
    assert tried > 0
