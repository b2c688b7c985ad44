"""Two weeks of learner history for the demo, replayed through the learning actions.

Half the learners have started: some only peeked at the video, some watched it, some failed
the first knowledge check, one failed and then passed, a few moved on to the second module
and one finished everything. Each step is dated in the past fortnight, at a believable hour
of the learner's own day, and goes through the same actions as the pages, so progress rows,
attempts and the learning record are exactly what real use would leave.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from cadenza.accounts.models import User
from cadenza.courses.models import Unit
from cadenza.demo.content import DemoCourse
from cadenza.demo.people import LEARNERS, DemoPerson
from cadenza.learning.actions.knowledge_checks import (
    GivenAnswer,
    start_new_attempt,
    submit_attempt,
)
from cadenza.learning.actions.knowledge_checks import save_answer as save_check_answer
from cadenza.learning.actions.progress import complete_unit, record_unit_activity, visit_unit
from cadenza.learning.models import Question, QuestionKind

WRONG_TEXT_ANSWER = "not sure"


@dataclass(slots=True)
class Session:
    """A learner's sitting: a clock that moves forward as they work through units."""

    user: User
    course: DemoCourse
    clock: datetime

    def later(self, seconds: float) -> datetime:
        self.clock += timedelta(seconds=seconds)
        return self.clock


def _watch_video(session: Session, *, share: float) -> None:
    """Open the video and play ``share`` of it, reporting every 10 s like the page does."""
    unit = session.course.video
    duration = unit.video_duration_seconds or 0.0
    visit_unit(user=session.user, unit=unit, now=session.clock)
    played = 0.0
    target = duration * share
    while played < target:
        step = min(10.0, target - played)
        played += step
        record_unit_activity(
            user=session.user,
            unit=unit,
            active_seconds=step,
            position_seconds=played,
            played_seconds=step,
            duration_seconds=duration,
            now=session.later(step),
        )
    session.later(30)


def _read(session: Session, unit: Unit, *, finish: bool = True) -> None:
    """Open a reading, spend most of its estimated time on it, and mark it read."""
    visit_unit(user=session.user, unit=unit, now=session.clock)
    minutes = max(1, unit.estimated_minutes - 1)
    for _ in range(minutes):
        record_unit_activity(user=session.user, unit=unit, active_seconds=60, now=session.later(60))
    if finish:
        complete_unit(user=session.user, unit=unit, now=session.later(5))
    session.later(20)


def _download(session: Session, unit: Unit) -> None:
    """Open the download unit and fetch the file (fetching completes it)."""
    visit_unit(user=session.user, unit=unit, now=session.clock)
    complete_unit(user=session.user, unit=unit, now=session.later(15))
    session.later(20)


def _answer(question: Question, *, right: bool) -> GivenAnswer:
    """A right answer to ``question``, or a plausible wrong one."""
    if question.kind in (
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.TRUE_FALSE,
    ):
        wanted = [c.pk for c in question.choices.all() if c.is_correct == right]
        return GivenAnswer(choice_ids=wanted if right else wanted[:1])
    if question.kind == QuestionKind.NUMERIC:
        answer = question.numeric_answer or Decimal(0)
        return GivenAnswer(number=answer if right else answer * 2)
    return GivenAnswer(text=question.accepted_answers[0] if right else WRONG_TEXT_ANSWER)


def _take_check(session: Session, unit: Unit, *, wrong: int, rng: random.Random) -> None:
    """Answer every question of the check (``wrong`` of them wrongly) and submit."""
    questions = list(Question.objects.filter(unit=unit).prefetch_related("choices"))
    wrong_ones = set(rng.sample(range(len(questions)), wrong))
    visit_unit(user=session.user, unit=unit, now=session.clock)
    for index, question in enumerate(questions):
        given = _answer(question, right=index not in wrong_ones)
        save_check_answer(
            user=session.user,
            unit=unit,
            question=question,
            choice_ids=given.choice_ids,
            text=given.text,
            number=given.number,
            now=session.later(rng.randint(20, 70)),
        )
    submit_attempt(user=session.user, unit=unit, now=session.later(10))
    session.later(30)


def _retry_check(session: Session, unit: Unit, *, wrong: int, rng: random.Random) -> None:
    start_new_attempt(user=session.user, unit=unit, now=session.later(60))
    _take_check(session, unit, wrong=wrong, rng=rng)


# --- the stories ---------------------------------------------------------------------------

Story = Callable[[Session, random.Random], None]


def peeked_at_video(s: Session, rng: random.Random) -> None:
    _watch_video(s, share=0.4)


def watched_video(s: Session, rng: random.Random) -> None:
    _watch_video(s, share=1.0)


def watched_and_read(s: Session, rng: random.Random) -> None:
    _watch_video(s, share=1.0)
    _read(s, s.course.criteria_reading)


def failed_first_check(s: Session, rng: random.Random) -> None:
    watched_and_read(s, rng)
    _take_check(s, s.course.recognition_check, wrong=2, rng=rng)


def failed_then_passed(s: Session, rng: random.Random) -> None:
    failed_first_check(s, rng)
    _read(s, s.course.criteria_reading)
    _retry_check(s, s.course.recognition_check, wrong=0, rng=rng)


def into_second_module(s: Session, rng: random.Random) -> None:
    watched_and_read(s, rng)
    _take_check(s, s.course.recognition_check, wrong=rng.choice((0, 1)), rng=rng)
    s.later(rng.randint(1, 3) * 86400)
    _read(s, s.course.bundle_reading, finish=False)


def finished_everything(s: Session, rng: random.Random) -> None:
    watched_and_read(s, rng)
    _take_check(s, s.course.recognition_check, wrong=0, rng=rng)
    s.later(86400)
    _read(s, s.course.bundle_reading)
    _download(s, s.course.checklist)
    _take_check(s, s.course.bundle_check, wrong=1, rng=rng)
    s.later(3 * 86400)
    _read(s, s.course.simulation_reading)


# Which learner lived which story: (index in LEARNERS, story, days ago they started).
# Learners not listed (Maria Santos among them) are enrolled but have not started.
STORIES: Sequence[tuple[int, Story, int]] = (
    (1, peeked_at_video, 3),
    (11, peeked_at_video, 6),
    (23, peeked_at_video, 1),
    (3, watched_video, 9),
    (14, watched_video, 5),
    (27, watched_video, 2),
    (7, watched_and_read, 8),
    (20, watched_and_read, 4),
    (10, failed_first_check, 7),
    (17, failed_first_check, 5),
    (13, failed_then_passed, 11),
    (6, into_second_module, 12),
    (16, into_second_module, 10),
    (25, into_second_module, 9),
    (22, finished_everything, 13),
)


def _local_start(person: DemoPerson, now: datetime, days_ago: int, rng: random.Random) -> datetime:
    """A time ``days_ago`` days before ``now``, at 7-9 pm or 6-8 am in the learner's zone."""
    zone = ZoneInfo(person.time_zone)
    day = (now - timedelta(days=days_ago)).astimezone(zone)
    hour = rng.choice((6, 7, 19, 20))
    return day.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)


def replay_learner_history(
    *, course: DemoCourse, learners: dict[DemoPerson, User], now: datetime
) -> None:
    """Replay every story in ``STORIES`` through the learning actions, dated before ``now``."""
    rng = random.Random(20250101)  # noqa: S311 - a fixed demo story, not a secret
    for index, story, days_ago in STORIES:
        person = LEARNERS[index]
        session = Session(
            user=learners[person],
            course=course,
            clock=_local_start(person, now, days_ago, rng),
        )
        story(session, rng)
