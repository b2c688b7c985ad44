"""A short-text answer with a control character is refused, on the page's autosave and submit
alike, and nothing is written (cadenza.lib.text's rule, in the answer's check).

Before, the answer was stored as sent: a NUL in it made PostgreSQL answer a 500.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cadenza.learning.models import Answer
from tests.learning.test_knowledge_checks_actions import build_check, short_text
from tests.learning.test_knowledge_checks_views import logged_in, url, written

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _static_root_exists(settings: Any) -> None:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Sequen\x00tial",
            "This text contains an invisible control character (U+0000 NUL) at character 7; "
            "remove it and try again.",
        ),
        (
            "\x1b[31mSequential",
            "This text contains an invisible control character (U+001B ESC) at character 1; "
            "remove it and try again.",
        ),
        (
            "Sequential\nOrgan",
            "This text contains a line break (U+000A) at character 11; remove it and try again.",
        ),
    ],
)
def test_autosave_refuses_a_control_character_in_a_short_answer(text: str, message: str) -> None:
    check = build_check()
    question = short_text(check.unit)
    before = written()

    response = logged_in(check.learner).post(
        url(check, "check_answer", question.pk), {f"text-{question.pk}": text}, headers=HX
    )

    assert response.status_code == 400
    assert json.loads(response.content)["detail"] == message
    assert written() == before


def test_submit_refuses_a_control_character_and_keeps_the_saved_answer() -> None:
    check = build_check()
    question = short_text(check.unit)
    client = logged_in(check.learner)
    client.post(
        url(check, "check_answer", question.pk), {f"text-{question.pk}": "Sofa"}, headers=HX
    )
    before = written()

    response = client.post(
        url(check, "check_submit"), {f"text-{question.pk}": "So\x07fa"}, headers=HX
    )

    assert response.status_code == 400
    assert written() == before
    assert list(Answer.objects.values_list("text", flat=True)) == ["Sofa"]
    assert Answer.objects.get().attempt.submitted_at is None
