"""The learner's pages over HTTP: what each person sees, what is written, what is refused."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Course, Enrolment, Unit, UnitKind
from cadenza.learning.actions.knowledge_check_questions import add_question
from cadenza.learning.actions.knowledge_checks import save_answer
from cadenza.learning.actions.progress import complete_unit
from cadenza.learning.models import ProgressStatus, QuestionKind, UnitProgress
from cadenza.orgs.models import Organization, Role
from tests.factories import enrol, make_unit, make_user
from tests.learning.conftest import BuiltCourse, CourseBuilder

pytestmark = pytest.mark.django_db

VIDEO_BYTES = bytes(range(256)) * 40  # 10,240 bytes


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unit_url(name: str, unit: Unit, course: Course, org: Organization) -> str:
    return reverse(name, args=[org.slug, course.slug, unit.pk])


def with_video_file(built: BuiltCourse) -> Unit:
    unit = make_unit(
        built.units[0].module,
        UnitKind.VIDEO,
        title="Uploaded lecture",
        video_file=ContentFile(VIDEO_BYTES, name="lecture.mp4"),
        video_duration_seconds=60.0,
    )
    Unit.objects.filter(pk=unit.pk).update(published_at=built.course.published_at)
    return Unit.objects.get(pk=unit.pk)


def with_resource(built: BuiltCourse) -> Unit:
    unit = make_unit(
        built.units[0].module,
        UnitKind.RESOURCE,
        title="Checklist",
        body="The one-page checklist.",
        resource_file=ContentFile(b"%PDF-1.4 checklist", name="stored-name.pdf"),
        resource_name="Sepsis checklist.pdf",
        resource_content_type="application/pdf",
        resource_size=18,
    )
    Unit.objects.filter(pk=unit.pk).update(published_at=built.course.published_at)
    return Unit.objects.get(pk=unit.pk)


# --- Dashboard and outline -------------------------------------------------------------------


def test_dashboard_shows_my_courses_with_progress_and_the_next_unit(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=4)
    enrol(built.course, learner)
    complete_unit(user=learner, unit=built.units[0])

    response = signed_in(learner).get(reverse("dashboard", args=[org.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert built.course.title in html
    assert f'<progress id="progress-{built.course.pk}" max="100" value="25">' in html
    assert unit_url("unit", built.units[1], built.course, org) in html


def test_empty_dashboard_links_to_the_catalog(learner: User, org: Organization) -> None:
    response = signed_in(learner).get(reverse("dashboard", args=[org.slug]))

    assert response.status_code == 200
    assert reverse("catalog", args=[org.slug]) in response.content.decode()
    assert "not enrolled in any course" in response.content.decode()


def test_outline_for_a_learner_not_enrolled_shows_units_without_links_and_an_enrol_button(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2, open_enrolment=True)

    response = signed_in(learner).get(reverse("course_outline", args=[org.slug, built.course.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Unit 1" in html
    assert unit_url("unit", built.units[0], built.course, org) not in html
    assert reverse("course_enrol", args=[org.slug, built.course.slug]) in html


def test_outline_for_an_enrolled_learner_links_units_and_shows_states(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2)
    enrol(built.course, learner)
    complete_unit(user=learner, unit=built.units[0])

    response = signed_in(learner).get(reverse("course_outline", args=[org.slug, built.course.slug]))

    html = response.content.decode()
    assert unit_url("unit", built.units[1], built.course, org) in html
    assert '<span class="state completed">Completed</span>' in html
    assert '<span class="state not_started">Not started</span>' in html
    assert ">Continue</a>" in html
    assert reverse("course_enrol", args=[org.slug, built.course.slug]) not in html


def test_self_enrolment_enrols_and_returns_to_the_outline(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, open_enrolment=True)

    response = signed_in(learner).post(reverse("course_enrol", args=[org.slug, built.course.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("course_outline", args=[org.slug, built.course.slug])
    assert Enrolment.objects.filter(course=built.course, user=learner).count() == 1


def test_self_enrolment_in_a_closed_course_is_refused(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, open_enrolment=False)

    response = signed_in(learner).post(reverse("course_enrol", args=[org.slug, built.course.slug]))

    assert response.status_code == 403
    assert Enrolment.objects.filter(course=built.course).count() == 0


def test_self_enrolment_needs_post(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, open_enrolment=True)

    response = signed_in(learner).get(reverse("course_enrol", args=[org.slug, built.course.slug]))

    assert response.status_code == 405
    assert Enrolment.objects.filter(course=built.course).count() == 0


def test_continue_goes_to_the_next_unit_then_to_the_outline_when_done(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2)
    enrol(built.course, learner)
    client = signed_in(learner)
    url = reverse("course_continue", args=[org.slug, built.course.slug])
    complete_unit(user=learner, unit=built.units[0])

    assert client.get(url)["Location"] == unit_url("unit", built.units[1], built.course, org)
    complete_unit(user=learner, unit=built.units[1])
    assert client.get(url)["Location"] == reverse(
        "course_outline", args=[org.slug, built.course.slug]
    )


# --- Unit page -------------------------------------------------------------------------------


def test_opening_a_unit_records_the_visit_for_an_enrolled_learner(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=3)
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit", built.units[1], built.course, org))

    assert response.status_code == 200
    html = response.content.decode()
    assert unit_url("unit", built.units[0], built.course, org) in html
    assert unit_url("unit", built.units[2], built.course, org) in html
    assert "Mark as read" in html
    assert unit_url("unit_progress", built.units[1], built.course, org) in html
    progress = UnitProgress.objects.get()
    assert (progress.user, progress.unit, progress.status) == (
        learner,
        built.units[1],
        ProgressStatus.STARTED,
    )


def test_a_knowledge_check_unit_shows_the_check_inside_the_unit_page_and_records_the_visit(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2, kinds=(UnitKind.READING, UnitKind.KNOWLEDGE_CHECK))
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit", built.units[1], built.course, org))

    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["learning/unit.html", "web/base.html"]
    assert "learning/knowledge_check.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f"<h1>{built.units[1].title}</h1>" in html
    assert 'id="knowledge-check"' in html
    assert response.context["unit"] == built.units[1]
    assert "check" in response.context
    assert UnitProgress.objects.get().unit == built.units[1]


def test_visitors_who_are_not_signed_in_are_sent_to_log_in(
    build_course: CourseBuilder, org: Organization
) -> None:
    built = build_course(units=1)

    response = Client().get(unit_url("unit", built.units[0], built.course, org))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert UnitProgress.objects.count() == 0


def test_staff_previewing_a_draft_unit_write_no_progress(
    build_course: CourseBuilder, instructor: User, org: Organization
) -> None:
    built = build_course(units=1)
    draft = make_unit(built.units[0].module, UnitKind.READING, title="Draft reading", body="Hi")

    response = signed_in(instructor).get(unit_url("unit", draft, built.course, org))

    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    assert "unit_progress.js" not in response.content.decode()
    assert UnitProgress.objects.count() == 0
    assert Statement.objects.filter(actor=instructor).count() == 0


def test_learners_get_404_for_a_draft_unit(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)
    draft = make_unit(built.units[0].module, UnitKind.READING, title="Draft reading")

    response = signed_in(learner).get(unit_url("unit", draft, built.course, org))

    assert response.status_code == 404
    assert UnitProgress.objects.count() == 0


def test_learners_not_enrolled_get_404_on_unit_pages(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, open_enrolment=True)

    response = signed_in(learner).get(unit_url("unit", built.units[0], built.course, org))

    assert response.status_code == 404
    assert UnitProgress.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["unit", "unit_video", "unit_download", "course_outline", "course_continue"]
)
def test_another_organizations_course_answers_404(
    build_course: CourseBuilder,
    learner: User,
    org: Organization,
    other_org: Organization,
    name: str,
) -> None:
    foreign = build_course(units=1, target_org=other_org)
    enrol(foreign.course, learner)
    client = signed_in(learner)

    if name.startswith("course_"):
        through_mine = reverse(name, args=[org.slug, foreign.course.slug])
        through_theirs = reverse(name, args=[other_org.slug, foreign.course.slug])
    else:
        through_mine = unit_url(name, foreign.units[0], foreign.course, org)
        through_theirs = unit_url(name, foreign.units[0], foreign.course, other_org)

    assert client.get(through_mine).status_code == 404
    assert client.get(through_theirs).status_code == 404


def test_a_unit_of_another_course_of_mine_is_not_found_through_this_course(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    first = build_course(units=1)
    second = build_course(units=1)
    enrol(first.course, learner)
    enrol(second.course, learner)

    response = signed_in(learner).get(unit_url("unit", second.units[0], first.course, org))

    assert response.status_code == 404


def test_a_video_page_plays_the_uploaded_file_and_resumes_where_i_stopped(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_video_file(built)
    enrol(built.course, learner)
    client = signed_in(learner)
    client.get(unit_url("unit", unit, built.course, org))
    UnitProgress.objects.filter(unit=unit).update(video_position_seconds=42.5)

    html = client.get(unit_url("unit", unit, built.course, org)).content.decode()

    assert (
        f'<source src="{unit_url("unit_video", unit, built.course, org)}" type="video/mp4">' in html
    )
    assert 'data-resume-position="42.5"' in html
    assert "learning/unit_progress.js" in html


def test_a_video_page_with_an_external_url_links_it(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit", built.units[0], built.course, org))

    assert '<source src="https://videos.example.org/lecture.mp4">' in response.content.decode()


def test_a_resource_page_shows_name_and_size_of_the_download(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_resource(built)
    enrol(built.course, learner)

    html = signed_in(learner).get(unit_url("unit", unit, built.course, org)).content.decode()

    assert "Download Sepsis checklist.pdf" in html
    assert "18\xa0bytes" in html
    assert unit_url("unit_download", unit, built.course, org) in html


def test_mark_as_read_completes_the_reading(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)
    url = unit_url("unit_complete", built.units[0], built.course, org)

    response = signed_in(learner).post(url)
    signed_in(learner).post(url)

    assert response.status_code == 302
    assert UnitProgress.objects.get().status == ProgressStatus.COMPLETED
    assert Statement.objects.filter(actor=learner, verb=Verb.COMPLETED.value).count() == 1


def test_a_knowledge_check_cannot_be_marked_done_by_hand(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.KNOWLEDGE_CHECK,))
    enrol(built.course, learner)
    url = unit_url("unit_complete", built.units[0], built.course, org)

    response = signed_in(learner).post(url)

    assert response.status_code == 400
    assert response.content.decode() == "A knowledge check is completed by passing it."
    assert UnitProgress.objects.count() == 0
    assert Statement.objects.filter(actor=learner, verb=Verb.COMPLETED.value).count() == 0


# --- Progress reports ------------------------------------------------------------------------


def test_a_progress_report_answers_the_state(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    enrol(built.course, learner)
    client = signed_in(learner)
    unit = built.units[0]
    client.get(unit_url("unit", unit, built.course, org))

    response = client.post(
        unit_url("unit_progress", unit, built.course, org),
        {"active_seconds": "5", "position_seconds": "30", "played_seconds": "5"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "status": "started",
        "watched_percent": 5.0,
        "position_seconds": 30.0,
        "completed": False,
    }
    progress = UnitProgress.objects.get()
    assert (progress.time_spent_seconds, progress.watched_seconds) == (5, 5.0)


def test_a_json_progress_report_is_accepted(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)

    response = signed_in(learner).post(
        unit_url("unit_progress", built.units[0], built.course, org),
        data=json.dumps({"active_seconds": 12}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["completed"] is False
    assert UnitProgress.objects.get().time_spent_seconds == 12


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"active_seconds": "-1"}, "active_seconds must be between 0 and 86400 seconds."),
        ({"active_seconds": "nan"}, "active_seconds must be between 0 and 86400 seconds."),
        ({"active_seconds": "inf"}, "active_seconds must be between 0 and 86400 seconds."),
        ({"active_seconds": "lots"}, "active_seconds must be a number."),
        ({"position_seconds": "4"}, "active_seconds is required."),
        (
            {"active_seconds": "5", "duration_seconds": "1e9"},
            "duration_seconds must be between 0 and 86400 seconds.",
        ),
        ({"active_seconds": "5", "played_seconds": "x"}, "played_seconds must be a number."),
    ],
)
def test_bad_progress_reports_are_refused_and_nothing_changes(
    build_course: CourseBuilder,
    learner: User,
    org: Organization,
    body: dict[str, str],
    detail: str,
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    enrol(built.course, learner)
    client = signed_in(learner)
    unit = built.units[0]
    client.get(unit_url("unit", unit, built.course, org))
    before = list(UnitProgress.objects.values())
    statements_before = Statement.objects.count()

    response = client.post(unit_url("unit_progress", unit, built.course, org), body)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert list(UnitProgress.objects.values()) == before
    assert Statement.objects.count() == statements_before


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("{not json", "The body is not valid JSON."),
        ("[1, 2]", "The body must be a JSON object."),
        ('{"active_seconds": true}', "active_seconds must be a number."),
        ('{"active_seconds": [5]}', "active_seconds must be a number."),
    ],
)
def test_bad_json_progress_reports_are_refused(
    build_course: CourseBuilder, learner: User, org: Organization, raw: str, detail: str
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)

    response = signed_in(learner).post(
        unit_url("unit_progress", built.units[0], built.course, org),
        data=raw,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert UnitProgress.objects.count() == 0


def test_progress_reports_from_staff_previewing_are_refused(
    build_course: CourseBuilder, instructor: User, org: Organization
) -> None:
    built = build_course(units=1)

    response = signed_in(instructor).post(
        unit_url("unit_progress", built.units[0], built.course, org), {"active_seconds": "5"}
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Progress is recorded only for learners enrolled in the course."
    }
    assert UnitProgress.objects.count() == 0


def test_progress_reports_need_post(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit_progress", built.units[0], built.course, org))

    assert response.status_code == 405


# --- Files -----------------------------------------------------------------------------------


def test_the_whole_video_is_served_with_accept_ranges(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_video_file(built)
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit_video", unit, built.course, org))

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(VIDEO_BYTES))
    assert b"".join(response.streaming_content) == VIDEO_BYTES  # type: ignore[attr-defined]


def test_a_range_request_returns_exactly_those_bytes(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_video_file(built)
    enrol(built.course, learner)

    response = signed_in(learner).get(
        unit_url("unit_video", unit, built.course, org), HTTP_RANGE="bytes=1000-1999"
    )

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO_BYTES)}"
    assert response["Content-Length"] == "1000"
    assert b"".join(response.streaming_content) == VIDEO_BYTES[1000:2000]  # type: ignore[attr-defined]


def test_an_unsatisfiable_range_answers_416(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_video_file(built)
    enrol(built.course, learner)

    response = signed_in(learner).get(
        unit_url("unit_video", unit, built.course, org), HTTP_RANGE="bytes=99999-"
    )

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


def test_a_video_unit_without_a_file_answers_404(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit_video", built.units[0], built.course, org))

    assert response.status_code == 404


def test_learners_not_enrolled_cannot_fetch_the_video(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_video_file(built)

    response = signed_in(learner).get(unit_url("unit_video", unit, built.course, org))

    assert response.status_code == 404


def test_the_download_is_an_attachment_with_its_name_and_completes_the_unit(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_resource(built)
    enrol(built.course, learner)

    response = signed_in(learner).get(unit_url("unit_download", unit, built.course, org))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Sepsis checklist.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 checklist"  # type: ignore[attr-defined]
    progress = UnitProgress.objects.get(unit=unit)
    assert progress.status == ProgressStatus.COMPLETED
    assert Statement.objects.filter(actor=learner, verb=Verb.COMPLETED.value).count() == 1


def test_staff_downloading_write_no_progress(
    build_course: CourseBuilder, instructor: User, org: Organization
) -> None:
    built = build_course(units=1)
    unit = with_resource(built)

    response = signed_in(instructor).get(unit_url("unit_download", unit, built.course, org))
    response.close()

    assert response.status_code == 200
    assert UnitProgress.objects.count() == 0


# --- Query counts ----------------------------------------------------------------------------


def test_page_query_counts_are_the_same_for_5_and_200_units(
    build_course: CourseBuilder, org: Organization
) -> None:
    counts = {}
    for size in (5, 200):
        person = make_user(org, Role.LEARNER)
        built = build_course(units=size)
        enrol(built.course, person)
        for unit in built.units[::2]:
            complete_unit(user=person, unit=unit)
        client = signed_in(person)
        pages = [
            reverse("dashboard", args=[org.slug]),
            reverse("course_outline", args=[org.slug, built.course.slug]),
            unit_url("unit", built.units[3], built.course, org),
        ]
        client.get(pages[2])  # the first visit creates the progress row; measure a revisit
        measured = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            measured.append(len(captured.captured_queries))
        counts[size] = measured

    assert counts[5] == counts[200]
    # dashboard: session, user, membership, the progress dashboard's 3, the live sessions' 1;
    # outline: session, user, membership, course, then enrolment, modules, units and progress;
    # unit page: session, user, membership, course, the unit (asking for the learner's
    # enrolment in the same query), the visit's write (BEGIN, row, UPDATE, COMMIT) and the
    # navigation
    assert counts[5] == [7, 8, 10]


def test_knowledge_check_page_query_count_is_the_same_for_3_and_12_answered_questions(
    build_course: CourseBuilder, org: Organization
) -> None:
    counts = []
    for size in (3, 12):
        person = make_user(org, Role.LEARNER)
        built = build_course(units=2, kinds=(UnitKind.READING, UnitKind.KNOWLEDGE_CHECK))
        check = built.units[1]
        enrol(built.course, person)
        for n in range(size):
            question = add_question(
                unit=check,
                kind=QuestionKind.SINGLE_CHOICE,
                prompt=f"Question {n}",
                choices=[("Fever", True), ("Freckles", False)],
            )
            save_answer(
                user=person,
                unit=check,
                question=question,
                choice_ids=[question.choices.get(text="Fever").pk],
            )
        client = signed_in(person)
        page = unit_url("unit", check, built.course, org)
        client.get(page)  # the first visit creates the progress row; measure a revisit
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page)
        assert response.status_code == 200
        assert response.content.decode().count('<fieldset class="question ') == size
        counts.append(len(captured.captured_queries))

    # the unit page's 10, then questions, choices, attempts and the open attempt's answers
    assert counts == [14, 14]
