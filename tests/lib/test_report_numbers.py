"""A player's report is read the same way from a form and from JSON: numbers, or a message
that says which one is wrong."""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from cadenza.lib.report_numbers import report_numbers

NAMES = ("active_seconds", "position_seconds", "played_seconds")


def as_json(body: object) -> HttpRequest:
    return RequestFactory().post("/", json.dumps(body), content_type="application/json")


def test_a_form_and_json_give_the_same_numbers_and_none_for_what_is_missing() -> None:
    form = RequestFactory().post("/", {"active_seconds": "12.5", "position_seconds": ""})
    body = as_json({"active_seconds": 12.5, "position_seconds": None, "other": "ignored"})

    expected = {"active_seconds": 12.5, "position_seconds": None, "played_seconds": None}
    assert report_numbers(form, NAMES) == expected
    assert report_numbers(body, NAMES) == expected
    assert report_numbers(as_json({"played_seconds": 3}), NAMES) == {
        "active_seconds": None,
        "position_seconds": None,
        "played_seconds": 3.0,
    }


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"active_seconds": True}, "active_seconds must be a number."),
        ({"active_seconds": "ten"}, "active_seconds must be a number."),
        ({"position_seconds": [1]}, "position_seconds must be a number."),
        ([1, 2], "The body must be a JSON object."),
        ({"position_seconds": 4}, "active_seconds is required."),
    ],
)
def test_what_is_wrong_is_said(request_body: object, message: str) -> None:
    assert report_numbers(as_json(request_body), NAMES, required=("active_seconds",)) == message


def test_a_body_that_is_not_json_is_said_so() -> None:
    broken = RequestFactory().post("/", b"{not json", content_type="application/json")

    assert report_numbers(broken, NAMES) == "The body is not valid JSON."
