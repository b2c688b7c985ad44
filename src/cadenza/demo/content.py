"""The demo course: "Sepsis Recognition and the Hour-1 Bundle", built through course actions.

Clinical staff work through self-paced modules before a live simulation session; the fourth
module, with the live sessions, is added by ``demo.live``. The media (a short video
lecture with its English captions, and a PDF checklist) ship in ``cadenza/demo/assets`` and
are copied into the media storage, so the demo never downloads anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.core.files.base import ContentFile

from cadenza.accounts.models import User
from cadenza.courses.actions import (
    add_module,
    add_unit,
    create_course,
    publish_course,
    save_caption_track,
)
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.learning.actions.knowledge_check_questions import add_question
from cadenza.learning.models import QuestionKind
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext

COURSE_SLUG = "sepsis-protocol"
COURSE_TITLE = "Sepsis Recognition and the Hour-1 Bundle"
VIDEO_ASSET = "sepsis-hour-1-bundle.webm"
CAPTIONS_ASSET = "sepsis-hour-1-bundle.en.vtt"
CHECKLIST_ASSET = "sepsis-screening-checklist.pdf"
# The length of the shipped video; scripts/make-demo-video.sh makes it this long.
VIDEO_DURATION_SECONDS = 20.0
PASS_MARK_PERCENT = 80
MAX_ATTEMPTS = 3


def asset_bytes(name: str) -> bytes:
    """The content of a file shipped in the package's ``demo/assets`` folder."""
    return (resources.files("cadenza.demo") / "assets" / name).read_bytes()


@dataclass(frozen=True, slots=True)
class DemoCourse:
    """The course and its units by their role in the story, for the progress builder."""

    course: Course
    video: Unit
    criteria_reading: Unit
    recognition_check: Unit
    bundle_reading: Unit
    checklist: Unit
    bundle_check: Unit
    simulation_reading: Unit

    @property
    def units(self) -> tuple[Unit, ...]:
        return (
            self.video,
            self.criteria_reading,
            self.recognition_check,
            self.bundle_reading,
            self.checklist,
            self.bundle_check,
            self.simulation_reading,
        )


COURSE_SUMMARY = """\
Sepsis kills more patients in our hospital than any other condition we can treat in time.
This course teaches you to **recognise sepsis early** with qSOFA and SIRS, and to deliver the
**Hour-1 bundle** without missing a step.

Work through the self-paced modules at your own pace, then join the live simulation session,
where you run the bundle on a manikin with the sepsis team. You need 80 % on each knowledge
check before the simulation.
"""

CRITERIA_READING = """\
Sepsis is life-threatening organ dysfunction caused by a dysregulated response to infection.
Two bedside scores help you spot it early. Neither makes the diagnosis: they tell you **who
needs a senior review now**.

| Score | Criterion | Threshold |
| --- | --- | --- |
| qSOFA | Respiratory rate | 22 per minute or more |
| qSOFA | Mental state | Any alteration (GCS below 15) |
| qSOFA | Systolic blood pressure | 100 mmHg or less |
| SIRS | Temperature | Above 38.0 °C or below 36.0 °C |
| SIRS | Heart rate | Above 90 per minute |
| SIRS | Respiratory rate | Above 20 per minute (or PaCO₂ below 32 mmHg) |
| SIRS | White cell count | Above 12 or below 4 \N{MULTIPLICATION SIGN} 10⁹/L |

A **qSOFA of 2 or more**, or **two SIRS criteria with a suspected infection**, triggers the
sepsis screen.

### Lactate

Measure a serum lactate in every patient you screen. A lactate **above 2 mmol/L** means
tissue hypoperfusion may be starting: remeasure it within 2 to 4 hours. A lactate of **4 mmol/L
or more** is septic shock until proven otherwise, whatever the blood pressure.

> A normal lactate does not rule out sepsis. Treat the patient, not the number.
"""

BUNDLE_READING = """\
The Hour-1 bundle starts at **triage or at the moment sepsis is recognised**, not when the
doctor arrives. Every step that can run in parallel should.

1. **Measure lactate.** Remeasure if the first value is above 2 mmol/L.
2. **Take blood cultures before antibiotics**, two sets from different sites.
3. **Give broad-spectrum antibiotics** according to the hospital guideline.
4. **Give 30 mL/kg of crystalloid** for hypotension or a lactate of 4 mmol/L or more.
5. **Start vasopressors** if the patient stays hypotensive during or after fluids, aiming for
   a mean arterial pressure of **65 mmHg or more**.

Write the time of each step on the screening checklist (the next unit): the audit counts
minutes, and so does the patient.
"""

CHECKLIST_NOTES = """\
Print this checklist or keep it open on the ward computer. It lists the screening criteria
and the five bundle steps with a space for the time of each.
"""

SIMULATION_READING = """\
Well done for getting this far. The last part of the programme is a **live simulation
session**: a deteriorating patient on a high-fidelity manikin, with Dr. Okafor and the
sepsis team, where you run the Hour-1 bundle against the clock.

The next module, **Live simulation**, lists the live sessions in your own time zone: the
recorded briefing on the team's roles (watch its replay if you missed it), the weekly Q&A
webinar, and the simulation itself. Join from the session page, or add them all to your
calendar.

Before the session, make sure you have:

- passed both knowledge checks with 80 % or more;
- printed or downloaded the sepsis screening checklist;
- re-read the Hour-1 bundle steps.
"""


def build_course(*, org: Organization, instructor: User) -> DemoCourse:
    """Create and publish the demo course with its three modules, media and questions."""
    course = create_course(
        org=org,
        title=COURSE_TITLE,
        slug=COURSE_SLUG,
        created_by=instructor,
        summary=COURSE_SUMMARY,
        open_enrolment=True,
    )

    recognising = add_module(
        course=course,
        title="Recognising sepsis",
        summary="Spot the septic patient early with qSOFA, SIRS and lactate.",
    )
    video = add_unit(
        module=recognising,
        kind=UnitKind.VIDEO,
        title="Video lecture: the Hour-1 bundle in 20 seconds",
        body="A short overview by Dr. Amara Okafor before you start the readings.",
        estimated_minutes=1,
        video_file=ContentFile(asset_bytes(VIDEO_ASSET), name=VIDEO_ASSET),
        video_duration_seconds=VIDEO_DURATION_SECONDS,
    )
    save_caption_track(
        ctx=OrgContext(org=org, user=instructor, role=Role.INSTRUCTOR),
        unit=video,
        language="en",
        label="English",
        file=asset_bytes(CAPTIONS_ASSET),
    )
    criteria_reading = add_unit(
        module=recognising,
        kind=UnitKind.READING,
        title="qSOFA, SIRS and lactate",
        body=CRITERIA_READING,
        estimated_minutes=8,
    )
    recognition_check = add_unit(
        module=recognising,
        kind=UnitKind.KNOWLEDGE_CHECK,
        title="Knowledge check: recognising sepsis",
        body="Five questions. You need 80 % to pass and have three attempts.",
        estimated_minutes=5,
        pass_mark_percent=PASS_MARK_PERCENT,
        max_attempts=MAX_ATTEMPTS,
    )
    _add_recognition_questions(recognition_check)

    bundle = add_module(
        course=course,
        title="The Hour-1 bundle",
        summary="The five steps to start within the first hour, and how to record them.",
    )
    bundle_reading = add_unit(
        module=bundle,
        kind=UnitKind.READING,
        title="The five steps of the Hour-1 bundle",
        body=BUNDLE_READING,
        estimated_minutes=6,
    )
    checklist_bytes = asset_bytes(CHECKLIST_ASSET)
    checklist = add_unit(
        module=bundle,
        kind=UnitKind.RESOURCE,
        title="Sepsis screening checklist (PDF)",
        body=CHECKLIST_NOTES,
        estimated_minutes=2,
        resource_file=ContentFile(checklist_bytes, name=CHECKLIST_ASSET),
        resource_name=CHECKLIST_ASSET,
        resource_content_type="application/pdf",
        resource_size=len(checklist_bytes),
    )
    bundle_check = add_unit(
        module=bundle,
        kind=UnitKind.KNOWLEDGE_CHECK,
        title="Knowledge check: the Hour-1 bundle",
        body="Five questions. You need 80 % to pass and have three attempts.",
        estimated_minutes=5,
        pass_mark_percent=PASS_MARK_PERCENT,
        max_attempts=MAX_ATTEMPTS,
    )
    _add_bundle_questions(bundle_check)

    simulation = add_module(
        course=course,
        title="Before the live simulation",
        summary="What to prepare for the live simulation session.",
    )
    simulation_reading = add_unit(
        module=simulation,
        kind=UnitKind.READING,
        title="Preparing for the live simulation",
        body=SIMULATION_READING,
        estimated_minutes=3,
    )

    publish_course(course=course, include_contents=True)
    return DemoCourse(
        course=course,
        video=video,
        criteria_reading=criteria_reading,
        recognition_check=recognition_check,
        bundle_reading=bundle_reading,
        checklist=checklist,
        bundle_check=bundle_check,
        simulation_reading=simulation_reading,
    )


def _add_recognition_questions(unit: Unit) -> None:
    add_question(
        unit=unit,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which of these is one of the three **qSOFA** criteria?",
        explanation="qSOFA counts respiratory rate ≥ 22, altered mentation and systolic "
        "BP ≤ 100 mmHg. Heart rate, temperature and white cells belong to SIRS.",
        choices=(
            ("Heart rate above 90 per minute", False),
            ("Systolic blood pressure of 100 mmHg or less", True),
            ("Temperature above 38.0 °C", False),
            ("White cell count above 12 \N{MULTIPLICATION SIGN} 10⁹/L", False),
        ),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.MULTIPLE_CHOICE,
        prompt="Which findings count towards **SIRS**? Select all that apply.",
        explanation="Temperature, heart rate, respiratory rate (> 20) and white cell count "
        "are the SIRS criteria; blood pressure and mental state are qSOFA.",
        choices=(
            ("Temperature above 38.0 °C", True),
            ("Heart rate above 90 per minute", True),
            ("Respiratory rate above 20 per minute", True),
            ("Systolic blood pressure of 100 mmHg or less", False),
            ("Altered mental state", False),
        ),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.TRUE_FALSE,
        prompt="A normal lactate rules out sepsis.",
        explanation="False: many septic patients have a normal first lactate. Treat the "
        "patient, not the number.",
        choices=(("True", False), ("False", True)),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.NUMERIC,
        prompt="Above which serum lactate, in mmol/L, do you remeasure within 2 to 4 hours?",
        explanation="A lactate above 2 mmol/L is remeasured; 4 mmol/L or more is treated as "
        "septic shock.",
        numeric_answer=Decimal("2"),
        numeric_tolerance=Decimal("0.1"),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.SHORT_TEXT,
        prompt="What does the **q** in qSOFA stand for? (one word)",
        explanation="Quick: qSOFA is the bedside shortcut of the full SOFA score.",
        accepted_answers=("quick",),
    )


def _add_bundle_questions(unit: Unit) -> None:
    add_question(
        unit=unit,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="When should blood cultures be taken?",
        explanation="Cultures come before antibiotics, as long as taking them does not "
        "delay the antibiotics.",
        choices=(
            ("Before the first dose of antibiotics", True),
            ("After the first dose, once the patient is stable", False),
            ("Only if the fever lasts more than 24 hours", False),
        ),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.MULTIPLE_CHOICE,
        prompt="Which of these belong to the Hour-1 bundle? Select all that apply.",
        explanation="Lactate, cultures, antibiotics, fluids and vasopressors. Imaging may "
        "help find the source, but it is not part of the bundle.",
        choices=(
            ("Measure lactate", True),
            ("Take blood cultures", True),
            ("Give broad-spectrum antibiotics", True),
            ("CT scan of the abdomen", False),
        ),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.NUMERIC,
        prompt="How many mL/kg of crystalloid do you give for hypotension or a lactate of "
        "4 mmol/L or more?",
        explanation="30 mL/kg, started within the first hour.",
        numeric_answer=Decimal("30"),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.TRUE_FALSE,
        prompt="The hour of the Hour-1 bundle starts when the doctor first sees the patient.",
        explanation="False: the clock starts at triage, or when sepsis is first recognised.",
        choices=(("True", False), ("False", True)),
    )
    add_question(
        unit=unit,
        kind=QuestionKind.SHORT_TEXT,
        prompt="Which blood test is the first step of the bundle? (one word)",
        explanation="Lactate, remeasured if above 2 mmol/L.",
        accepted_answers=("lactate", "serum lactate", "lactate level"),
    )
