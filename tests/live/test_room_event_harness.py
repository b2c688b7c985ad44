"""The room's events against its snapshot, the way Zulip tests its events system.

For every durable event type: take each viewer's snapshot, run the action, take the frames the
viewer is sent (the stored events their audience lets them see, as the room hub sends them),
apply them to the old snapshot, and compare with a fresh snapshot. Applied twice:

- by a reference reducer written here in Python (what the protocol promises), and
- by the page's own reducer, ``live/static/live/room_state.js``, run in Chromium on a blank
  page (``browser`` marker).

A difference means a client that stayed connected shows something else than one that just
joined: an event that forgot a field, a snapshot that shows too much (a host's snapshot used
to list other people's private messages, which their live events never carried), or a
reducer that forgot a case. Each scenario's viewers are people who did not act themselves
(the acting person also learns from their own acknowledgement, which is not a frame).
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from cadenza.accounts.models import User
from cadenza.live.models import (
    ChatMessage,
    LiveSession,
    Poll,
    PrivateChat,
    RaisedHand,
    RoomQuestion,
)
from cadenza.live.room.commands import perform
from cadenza.live.room.events import DURABLE_EVENT_TYPES, may_see
from cadenza.live.room.selectors.room import access_room, events_between, room_last_seq
from cadenza.live.room.selectors.snapshot import room_snapshot
from tests.live.conftest import Classroom, build_classroom

pytestmark = pytest.mark.django_db

ROOM_STATE_JS = Path(__file__).parents[2] / "src/cadenza/live/static/live/room_state.js"

_ids = itertools.count(1)


def write(user: User, classroom: Classroom, kind: str, **fields: Any) -> None:
    perform(
        user=user,
        session_id=classroom.session.pk,
        data={"type": kind, "client_event_id": f"h-{next(_ids)}", **fields},
    )


def _question(body: str) -> int:
    return RoomQuestion.objects.get(body=body).pk


def _poll(prompt: str) -> Poll:
    return Poll.objects.get(prompt=prompt)


def _ask(c: Classroom, *, anonymous: bool = False, by: str = "bob") -> None:
    write(getattr(c, by), c, "question.ask", body="Why 4 mmol?", anonymous=anonymous)


def _open_poll(c: Classroom, *, quiz: bool = False) -> None:
    write(c.host, c, "poll.create", prompt="Ready?", options=["Yes", "No"], open=True)
    if quiz:
        write(
            c.host, c, "poll.create", prompt="Lactate?", options=["2", "4"], correct=[1], open=True
        )


def _vote(c: Classroom) -> None:
    poll = _poll("Ready?")
    write(c.ada, c, "poll.vote", poll_id=poll.pk, option_ids=[poll.options.all()[0].pk])


def _open_poll_and_vote(c: Classroom) -> None:
    _open_poll(c)
    _vote(c)


def _breakouts(c: Classroom) -> None:
    rooms = [{"name": "Triage", "members": [c.ada.pk]}, {"name": "Labs", "members": [c.bob.pk]}]
    write(c.host, c, "breakouts.start", rooms=rooms)


def _breakout_chat(c: Classroom) -> None:
    _breakouts(c)
    write(c.ada, c, "chat.post", body="In triage")


def _raise(c: Classroom) -> None:
    write(c.ada, c, "hand.raise")


def _post(c: Classroom) -> None:
    write(c.ada, c, "chat.post", body="Hello")


def _prepare(c: Classroom) -> None:
    write(c.host, c, "poll.create", prompt="Later?", options=["A", "B"], correct=[0])


def _mute(c: Classroom) -> None:
    write(c.host, c, "participant.mute", user_id=c.ada.pk)


def _private_chat_for_everyone(c: Classroom) -> None:
    LiveSession.objects.filter(pk=c.session.pk).update(private_chat=PrivateChat.ON)


def _nothing(c: Classroom) -> None:
    return None


@dataclass(frozen=True)
class Scenario:
    """A state to start from (``setup``), one action (``act``) and the event it covers."""

    event: str
    name: str
    act: Callable[[Classroom], None]
    setup: Callable[[Classroom], None] = _nothing


SCENARIOS = [
    Scenario("live.chat.posted", "to everyone", _post),
    Scenario(
        "live.chat.posted",
        "privately to a host",
        lambda c: write(c.ada, c, "chat.post", body="Psst", to=c.host.pk),
    ),
    Scenario(
        "live.chat.posted",
        "privately between learners",
        lambda c: write(c.ada, c, "chat.post", body="Psst", to=c.bob.pk),
        _private_chat_for_everyone,
    ),
    Scenario("live.chat.posted", "in a breakout room", _breakout_chat),
    Scenario(
        "live.chat.deleted",
        "by a host",
        lambda c: write(
            c.host, c, "chat.delete", message_id=ChatMessage.objects.get(body="Hello").pk
        ),
        _post,
    ),
    Scenario("live.chat.locked", "by a host", lambda c: write(c.host, c, "chat.lock")),
    Scenario(
        "live.chat.unlocked",
        "by a host",
        lambda c: write(c.host, c, "chat.unlock"),
        lambda c: write(c.host, c, "chat.lock"),
    ),
    Scenario("live.question.asked", "openly", lambda c: _ask(c, by="ada")),
    Scenario("live.question.asked", "anonymously", lambda c: _ask(c, anonymous=True, by="ada")),
    Scenario(
        "live.question.voted",
        "by a peer",
        lambda c: write(c.ada, c, "question.vote", question_id=_question("Why 4 mmol?")),
        _ask,
    ),
    Scenario(
        "live.question.answered",
        "in writing",
        lambda c: write(
            c.host, c, "question.answer", question_id=_question("Why 4 mmol?"), answer="Guidance."
        ),
        _ask,
    ),
    Scenario(
        "live.question.dismissed",
        "by a host",
        lambda c: write(c.host, c, "question.dismiss", question_id=_question("Why 4 mmol?")),
        _ask,
    ),
    Scenario("live.poll.prepared", "a quiz for later", _prepare),
    Scenario(
        "live.poll.prepared",
        "a prepared quiz changed",
        lambda c: write(
            c.host,
            c,
            "poll.edit",
            poll_id=_poll("Later?").pk,
            prompt="Later today?",
            options=["Yes", "No", "Maybe"],
            correct=[2],
        ),
        _prepare,
    ),
    Scenario(
        "live.poll.removed",
        "a prepared quiz",
        lambda c: write(c.host, c, "poll.remove", poll_id=_poll("Later?").pk),
        _prepare,
    ),
    Scenario(
        "live.poll.opened",
        "a prepared quiz",
        lambda c: write(c.host, c, "poll.open", poll_id=_poll("Later?").pk),
        _prepare,
    ),
    Scenario("live.poll.opened", "made and opened at once", _open_poll),
    Scenario("live.poll.voted", "by a learner", _vote, _open_poll),
    Scenario(
        "live.poll.closed",
        "with its votes",
        lambda c: write(c.host, c, "poll.close", poll_id=_poll("Ready?").pk),
        _open_poll_and_vote,
    ),
    Scenario("live.hand.raised", "by a learner", _raise),
    Scenario("live.hand.lowered", "by its owner", lambda c: write(c.ada, c, "hand.lower"), _raise),
    Scenario(
        "live.hand.called",
        "by a host",
        lambda c: write(c.host, c, "hand.call", hand_id=RaisedHand.objects.get().pk),
        _raise,
    ),
    Scenario("live.breakouts.started", "rooms by hand", _breakouts),
    Scenario(
        "live.breakouts.closed",
        "with their chat",
        lambda c: write(c.host, c, "breakouts.close"),
        _breakout_chat,
    ),
    Scenario(
        "live.breakouts.message",
        "to every room",
        lambda c: write(c.host, c, "breakouts.message", body="Two minutes left"),
        _breakouts,
    ),
    Scenario(
        "live.breakouts.countdown",
        "two minutes",
        lambda c: write(c.host, c, "breakouts.countdown", seconds=120),
        _breakouts,
    ),
    Scenario("live.participant.muted", "a learner", _mute),
    Scenario(
        "live.participant.unmuted",
        "a learner",
        lambda c: write(c.host, c, "participant.unmute", user_id=c.ada.pk),
        _mute,
    ),
    Scenario(
        "live.participant.removed",
        "a learner",
        lambda c: write(c.host, c, "participant.remove", user_id=c.ada.pk),
    ),
    Scenario(
        "live.microphone.muted",
        "a learner's, by a host",
        lambda c: write(c.host, c, "microphone.mute", user_id=c.ada.pk),
    ),
    Scenario(
        "live.screen_sharing.changed",
        "allowed",
        lambda c: write(c.host, c, "screen_sharing.allow"),
    ),
    Scenario(
        "live.screen_sharing.changed",
        "forbidden again",
        lambda c: write(c.host, c, "screen_sharing.forbid"),
        lambda c: write(c.host, c, "screen_sharing.allow"),
    ),
    Scenario("live.room.opened", "by a host", lambda c: write(c.host, c, "room.open")),
    Scenario(
        "live.room.closed",
        "after opening",
        lambda c: write(c.host, c, "room.close"),
        lambda c: write(c.host, c, "room.open"),
    ),
]


@dataclass
class Observation:
    """What one viewer had, was sent, and would get now."""

    viewer: str
    before: dict[str, Any]
    frames: list[dict[str, Any]]
    after: dict[str, Any]


def _snapshot(user: User, classroom: Classroom) -> dict[str, Any]:
    access = access_room(user=user, session_id=classroom.session.pk)
    return room_snapshot(access).frame()


def observe(scenario: Scenario) -> list[Observation]:
    """Run ``scenario`` in a fresh classroom, watched by the host and by Bob."""
    classroom = build_classroom()
    scenario.setup(classroom)
    viewers = {"host": classroom.host, "bob": classroom.bob}
    before = {name: _snapshot(user, classroom) for name, user in viewers.items()}
    first = room_last_seq(classroom.session.pk) + 1
    scenario.act(classroom)
    rows = events_between(
        session_id=classroom.session.pk, first=first, last=room_last_seq(classroom.session.pk)
    )
    assert {json.loads(frame)["type"] for _seq, _audience, frame in rows} >= {scenario.event}
    observations = []
    for name, user in viewers.items():
        moderator = name == "host"
        frames = [
            json.loads(frame)
            for _seq, audience, frame in rows
            if may_see(audience, user_id=user.pk, is_moderator=moderator)
        ]
        observations.append(Observation(name, before[name], frames, _snapshot(user, classroom)))
    return observations


# The reference reducer: the protocol's promise, applied to a snapshot


def _by(key: str, items: list[dict[str, Any]], item_id: Any) -> dict[str, Any] | None:
    return next((item for item in items if item[key] == item_id), None)


def reduce(snapshot: dict[str, Any], frames: list[dict[str, Any]]) -> dict[str, Any]:
    state = copy.deepcopy(snapshot)
    me = state["me"]
    for frame in frames:
        assert frame["seq"] > state["seq"], "frames arrive in order, each once"
        state["seq"] = frame["seq"]
        body = {k: v for k, v in frame.items() if k not in ("type", "seq")}
        kind = frame["type"]
        if kind == "live.chat.posted":
            state["chat"].append(body)
        elif kind == "live.chat.deleted":
            state["chat"] = [m for m in state["chat"] if m["message_id"] != frame["message_id"]]
        elif kind in ("live.chat.locked", "live.chat.unlocked"):
            state["session"]["chat_locked"] = kind == "live.chat.locked"
        elif kind == "live.question.asked":
            author = body["author"]
            mine = author is not None and author["user_id"] == me["user_id"]
            state["questions"].append(
                body | {"status": "open", "answer": "", "voted": False, "mine": mine}
            )
        elif kind == "live.question.voted":
            question = _by("question_id", state["questions"], frame["question_id"])
            assert question is not None
            question["votes"] = frame["votes"]
        elif kind == "live.question.answered":
            question = _by("question_id", state["questions"], frame["question_id"])
            assert question is not None
            question |= {"status": frame["status"], "answer": frame["answer"]}
        elif kind == "live.question.dismissed":
            state["questions"] = [
                q for q in state["questions"] if q["question_id"] != frame["question_id"]
            ]
        elif kind in ("live.poll.prepared", "live.poll.opened"):
            known = _by("poll_id", state["polls"], frame["poll_id"])
            poll = {
                "status": "prepared" if kind == "live.poll.prepared" else "open",
                "results": [{"option_id": o["option_id"], "votes": 0} for o in body["options"]],
                "voters": 0,
                "my_vote": [],
                "correct_option_ids": known["correct_option_ids"] if known else [],
            } | body
            if known is None:
                state["polls"].append(poll)
            else:
                known |= poll
        elif kind == "live.poll.removed":
            state["polls"] = [p for p in state["polls"] if p["poll_id"] != frame["poll_id"]]
        elif kind in ("live.poll.voted", "live.poll.closed"):
            updated = _by("poll_id", state["polls"], frame["poll_id"])
            assert updated is not None
            updated |= body
            if kind == "live.poll.closed":
                updated["status"] = "closed"
        elif kind == "live.hand.raised":
            state["hands"].append(body)
        elif kind in ("live.hand.lowered", "live.hand.called"):
            state["hands"] = [h for h in state["hands"] if h["hand_id"] != frame["hand_id"]]
        elif kind == "live.breakouts.started":
            state["breakouts"] = {"rooms": body["rooms"], "ends_at": body["ends_at"]}
            mine = [
                room["breakout_id"]
                for room in body["rooms"]
                if any(member["user_id"] == me["user_id"] for member in room["members"])
            ]
            me["breakout_id"] = mine[0] if mine else None
        elif kind == "live.breakouts.closed":
            state["breakouts"] = {"rooms": [], "ends_at": None}
            me["breakout_id"] = None
            if not me["is_host"]:
                state["chat"] = [m for m in state["chat"] if m["breakout_id"] is None]
        elif kind == "live.breakouts.countdown":
            state["breakouts"]["ends_at"] = frame["ends_at"]
        elif kind in ("live.participant.muted", "live.participant.unmuted"):
            user_id = frame["person"]["user_id"]
            muted = kind == "live.participant.muted"
            others = [u for u in state["muted"] if u != user_id]
            state["muted"] = [*others, user_id] if muted else others
            if user_id == me["user_id"]:
                me["muted"] = muted
        elif kind == "live.screen_sharing.changed":
            state["session"]["learners_may_share_screen"] = frame["allowed"]
        elif kind == "live.room.opened":
            state["session"]["opened_at"] = state["session"]["opened_at"] or frame["at"]
            state["session"]["closed_at"] = ""
        elif kind == "live.room.closed":
            state["session"]["closed_at"] = frame["at"]
        else:
            # The rest changes nothing a snapshot holds: a message to all breakout rooms is
            # shown once; a removal closes the removed person's sockets; a muted microphone
            # is the page's own state.
            assert kind in (
                "live.breakouts.message",
                "live.participant.removed",
                "live.microphone.muted",
            ), kind
    return state


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without what events do not carry: the server's clock, who is connected
    (the hub's presence frames keep that), and the room's number (a viewer's last number is
    that of the last event meant for them); lists in a fixed order."""
    kept = {
        k: v for k, v in snapshot.items() if k not in ("now", "present", "present_count", "seq")
    }
    kept["questions"] = sorted(kept["questions"], key=lambda q: q["question_id"])
    kept["polls"] = sorted(kept["polls"], key=lambda p: p["poll_id"])
    kept["muted"] = sorted(kept["muted"])
    return kept


def test_every_durable_event_type_has_a_scenario() -> None:
    assert {scenario.event for scenario in SCENARIOS} == DURABLE_EVENT_TYPES


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.event}: {s.name}")
def test_applying_the_events_to_a_snapshot_gives_a_fresh_snapshot(scenario: Scenario) -> None:
    for seen in observe(scenario):
        reduced = reduce(seen.before, seen.frames)
        assert comparable(reduced) == comparable(seen.after), seen.viewer


# The page's own reducer, in Chromium


JS_HARNESS = """
window.roomHarness = (before, frames, after) => {
  const normal = (state) => {
    const { breakoutMessages, breakoutNames, called, removed, session, seq, ...rest } = state;
    rest.questions = [...rest.questions].sort((a, b) => a.question_id - b.question_id);
    rest.polls = [...rest.polls].sort((a, b) => a.poll_id - b.poll_id);
    rest.muted = [...rest.muted].sort((a, b) => a - b);
    return rest;
  };
  const live = emptyState();
  applySnapshot(live, structuredClone(before));
  for (const frame of frames) applyEvent(live, structuredClone(frame));
  const fresh = emptyState();
  applySnapshot(fresh, structuredClone(after));
  return { live: normal(live), fresh: normal(fresh) };
};
"""


@pytest.fixture(scope="module")
def reducer_page() -> Iterator[Any]:
    """One blank Chromium page with ``room_state.js`` loaded as the module it is.

    Playwright's sync API keeps an event loop in this thread while the page lives; the
    tests' ORM calls are not async code, so Django's guard against those is lifted (as
    tests/browser/conftest.py does)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_script_tag(content=ROOM_STATE_JS.read_text() + JS_HARNESS, type="module")
        page.wait_for_function("() => typeof window.roomHarness === 'function'")
        try:
            yield page
        finally:
            browser.close()
            # With Playwright's loop running, the tests' ORM calls got connections of their
            # own context; hand them back, or PostgreSQL cannot drop the test database.
            connections.close_all()


@pytest.mark.browser
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: f"{s.event}: {s.name}")
def test_the_pages_reducer_applies_the_events_to_the_same_state_as_a_fresh_snapshot(
    scenario: Scenario, reducer_page: Any
) -> None:
    for seen in observe(scenario):
        result = reducer_page.evaluate(
            "([before, frames, after]) => window.roomHarness(before, frames, after)",
            [seen.before, seen.frames, seen.after],
        )
        assert result["live"] == result["fresh"], seen.viewer
