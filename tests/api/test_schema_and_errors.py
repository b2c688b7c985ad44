"""The API's OpenAPI schema, and how it answers what it cannot serve."""

from __future__ import annotations

import json

import pytest

from cadenza.courses.models import Course
from tests.api.conftest import API, People, api_as

pytestmark = pytest.mark.django_db

BUILT = {
    "/me": {"get", "patch"},
    "/me/notifications": {"get"},
    "/me/notifications/unread-count": {"get"},
    "/me/notifications/read-all": {"post"},
    "/me/notifications/{notification}/read": {"post"},
    "/me/notification-preferences": {"get"},
    "/me/notification-preferences/{kind}": {"put"},
    "/orgs/{org}/courses/{course}/forum/topics": {"get"},
    "/orgs/{org}/courses/{course}/forum/topics/{topic}/threads": {"get", "post"},
    "/orgs/{org}/courses/{course}/forum/topics/{topic}/discussion": {"put"},
    "/orgs/{org}/courses/{course}/forum/topics/{topic}/following": {"put"},
    "/orgs/{org}/courses/{course}/forum/search": {"get"},
    "/orgs/{org}/forum/threads/{thread}": {"get", "patch"},
    "/orgs/{org}/forum/threads/{thread}/posts": {"post"},
    "/orgs/{org}/forum/posts/{post}": {"patch", "delete"},
    "/orgs/{org}/forum/posts/{post}/history": {"get"},
    "/orgs/{org}/forum/posts/{post}/vote": {"put"},
    "/orgs/{org}/forum/posts/{post}/endorsement": {"put"},
    "/orgs/{org}/forum/posts/{post}/acceptance": {"put"},
    "/orgs/{org}/forum/posts/{post}/reports": {"post"},
    "/orgs/{org}/forum/reports": {"get"},
    "/orgs/{org}/forum/reports/{report}/resolve": {"post"},
    "/orgs/{org}/forum/unanswered": {"get"},
    "/tokens": {"get", "post"},
    "/tokens/password": {"post"},
    "/tokens/{token_id}": {"delete"},
    "/orgs": {"get"},
    "/orgs/{org}/people": {"get", "post"},
    "/orgs/{org}/people/{membership}": {"patch", "delete"},
    "/orgs/{org}/courses": {"get", "post"},
    "/orgs/{org}/courses/{course}": {"get", "patch"},
    "/orgs/{org}/courses/{course}/publish": {"post"},
    "/orgs/{org}/courses/{course}/enrolment": {"post"},
    "/orgs/{org}/courses/{course}/enrolments": {"get", "post"},
    "/orgs/{org}/courses/{course}/enrolments/{enrolment}": {"delete"},
    "/orgs/{org}/courses/{course}/progress": {"get"},
    "/orgs/{org}/courses/{course}/modules": {"post"},
    "/orgs/{org}/courses/{course}/modules/{module}": {"patch", "delete"},
    "/orgs/{org}/courses/{course}/modules/{module}/move": {"post"},
    "/orgs/{org}/courses/{course}/modules/{module}/publish": {"post"},
    "/orgs/{org}/courses/{course}/modules/{module}/units": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}": {"get", "patch", "delete"},
    "/orgs/{org}/courses/{course}/units/{unit}/move": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/publish": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/captions": {"get"},
    "/orgs/{org}/courses/{course}/units/{unit}/captions/{language}": {"get", "put", "delete"},
    "/orgs/{org}/courses/{course}/units/{unit}/progress": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/complete": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/check": {"get"},
    "/orgs/{org}/courses/{course}/units/{unit}/check/answers/{question}": {"put"},
    "/orgs/{org}/courses/{course}/units/{unit}/check/submit": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/check/retry": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/questions": {"get", "post"},
    "/orgs/{org}/courses/{course}/units/{unit}/questions/{question}": {"patch", "delete"},
    "/orgs/{org}/courses/{course}/units/{unit}/questions/{question}/move": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/assignment": {"get", "put"},
    "/orgs/{org}/courses/{course}/units/{unit}/assignment/draft": {"put"},
    "/orgs/{org}/courses/{course}/units/{unit}/assignment/submissions": {"post"},
    "/orgs/{org}/courses/{course}/units/{unit}/assignment/extensions/{learner}": {"put"},
    "/orgs/{org}/courses/{course}/modules/{module}/assignments": {"post"},
    "/orgs/{org}/grading-queue": {"get"},
    "/orgs/{org}/submissions/{submission}": {"get"},
    "/orgs/{org}/submissions/{submission}/grades": {"post"},
    "/orgs/{org}/live-sessions": {"get"},
    "/orgs/{org}/courses/{course}/live-sessions": {"get"},
    "/orgs/{org}/courses/{course}/modules/{module}/live-sessions": {"post"},
    "/orgs/{org}/live-sessions/{session}": {"get", "patch"},
    "/orgs/{org}/live-sessions/{session}/move": {"post"},
    "/orgs/{org}/live-sessions/{session}/cancel": {"post"},
    "/orgs/{org}/live-sessions/{session}/room/events": {"get"},
    "/orgs/{org}/live-sessions/{session}/room/commands": {"post"},
    "/orgs/{org}/live-sessions/{session}/attendance": {"get"},
    "/orgs/{org}/live-sessions/{session}/attendance/recount": {"post"},
    "/orgs/{org}/live-sessions/{session}/attendance/{person}": {"put"},
    "/orgs/{org}/live-sessions/{session}/replay": {"get"},
    "/orgs/{org}/live-sessions/{session}/replay/questions/{question}/answer": {"post"},
    "/orgs/{org}/live-sessions/{session}/video": {"get"},
    "/orgs/{org}/live-sessions/{session}/video/breakouts/{breakout}": {"get"},
    "/orgs/{org}/live-sessions/{session}/recording": {"put", "delete"},
    "/orgs/{org}/live-sessions/{session}/recording/captions": {"get"},
    "/orgs/{org}/live-sessions/{session}/recording/captions/{language}": {"get", "put", "delete"},
}


def test_the_openapi_schema_lists_every_endpoint(people: People) -> None:
    response = api_as(people.learner).client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {path.removeprefix(API): set(ops) for path, ops in paths.items()} == BUILT


def test_the_schema_says_files_are_uploaded_on_the_pages(people: People) -> None:
    schema = api_as(people.learner).client.get(f"{API}/openapi.json").json()

    assert "uploaded on the course builder's pages" in schema["info"]["description"]
    unit = schema["paths"][f"{API}/orgs/{{org}}/courses/{{course}}/modules/{{module}}/units"]
    assert "uploaded on the course builder's pages" in unit["post"]["description"]


def test_a_body_that_is_not_json_is_refused_with_400(people: People) -> None:
    response = api_as(people.instructor).client.post(
        f"{API}/orgs/harbour/courses", data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
    assert Course.objects.count() == 0


def test_a_missing_field_is_named_in_the_errors(people: People) -> None:
    response = api_as(people.instructor).post("/orgs/harbour/courses", {"summary": "x"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "title: This field is required.",
        "errors": {"title": ["This field is required."]},
    }


def test_a_session_without_the_csrf_token_may_not_change_anything(people: People) -> None:
    client = api_as(people.instructor)
    client.client.handler.enforce_csrf_checks = True

    response = client.client.post(
        f"{API}/orgs/harbour/courses",
        data=json.dumps({"title": "Forged"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Course.objects.count() == 0
