"""The iCalendar writer against RFC 5545: physical lines, escaping, events, time zones, and
whose sessions a person's feed lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cadenza.accounts.models import User
from cadenza.courses.actions import add_module, publish_course, withdraw_learner
from cadenza.courses.models import Enrolment
from cadenza.live.models import SessionFormat
from cadenza.live.schedule.actions.scheduling import (
    cancel_session,
    move_occurrence,
    schedule_live_session,
)
from cadenza.live.schedule.calendar import escape_text, fold, person_feed, session_ics
from cadenza.live.schedule.selectors import join_path
from cadenza.orgs.actions import add_member
from cadenza.orgs.models import Role
from tests.factories import enrol, make_course, make_module
from tests.live.fixtures_scheduling import START, School, build_school, fresh, schedule
from tests.live.ical_parser import Component, parse, physical_lines, unescape

pytestmark = pytest.mark.django_db

SITE = "https://learn.example.org/"


@pytest.fixture
def school() -> School:
    return build_school()


def events(calendar: Component) -> dict[str, Component]:
    return {event.value("UID"): event for event in calendar.all("VEVENT")}


def observances(calendar: Component, zone: str) -> list[tuple[str, str, str, str, str]]:
    [vtimezone] = [tz for tz in calendar.all("VTIMEZONE") if tz.value("TZID") == zone]
    return [
        (
            part.name,
            part.value("DTSTART"),
            part.value("TZOFFSETFROM"),
            part.value("TZOFFSETTO"),
            part.value("TZNAME"),
        )
        for part in vtimezone.children
    ]


def assert_every_tzid_has_a_vtimezone(calendar: Component) -> None:
    used = {
        prop.params["TZID"]
        for event in calendar.all("VEVENT")
        for prop in event.properties
        if "TZID" in prop.params
    }
    defined = {tz.value("TZID") for tz in calendar.all("VTIMEZONE")}
    assert used <= defined
    assert defined == used


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\rg\x07") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"


def test_folding_keeps_lines_at_75_octets_and_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 40 + "🎻" * 10 + "x" * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert [len(part.encode()) for part in parts] == [74, 75, 11]  # "é" would make 76
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(part[1:] for part in parts[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_single_session_is_written_in_utc_with_every_required_property(
    school: School,
) -> None:
    session = schedule(
        school, title="Sepsis; simulation, part 1", agenda="Bring:\n- a case, and a pen"
    ).sessions[0]
    text = session_ics(session, site_url=SITE)
    calendar = parse(text)
    assert calendar.name == "VCALENDAR"
    assert (calendar.value("VERSION"), calendar.value("PRODID")) == (
        "2.0",
        "-//Cadenza//Live sessions//EN",
    )
    assert calendar.all("VTIMEZONE") == []
    [event] = calendar.all("VEVENT")
    url = "https://learn.example.org" + join_path(session)
    stamp = f"{session.updated_at.astimezone(UTC):%Y%m%dT%H%M%S}Z"
    assert [(p.name, p.params, p.value) for p in event.properties] == [
        ("UID", {}, f"{session.ical_uid}@cadenza"),
        ("DTSTAMP", {}, stamp),
        ("DTSTART", {}, "20260330T160000Z"),
        ("DTEND", {}, "20260330T170000Z"),
        ("SEQUENCE", {}, "0"),
        ("STATUS", {}, "CONFIRMED"),
        ("SUMMARY", {}, "Sepsis\\; simulation\\, part 1"),
        ("ORGANIZER", {"CN": '"Ines Instructor"'}, "mailto:ines@example.org"),
        ("DESCRIPTION", {}, "Bring:\\n- a case\\, and a pen\\n\\nJoin: " + url),
        ("URL", {}, url),
        ("LAST-MODIFIED", {}, stamp),
    ]
    assert unescape(event.value("DESCRIPTION")) == f"Bring:\n- a case, and a pen\n\nJoin: {url}"


def test_series_occurrences_keep_the_local_hour_with_a_tzid_and_its_vtimezone(
    school: School,
) -> None:
    first = datetime(2026, 10, 20, 18, 0, tzinfo=ZoneInfo("America/Chicago"))
    sessions = schedule(
        school, starts_at=first, weekly_occurrences=3, series_time_zone="America/Chicago"
    ).sessions
    calendar = parse(session_ics(sessions[2], site_url=SITE))
    [event] = calendar.all("VEVENT")
    assert event.get("DTSTART").params == {"TZID": "America/Chicago"}
    assert (event.value("DTSTART"), event.value("DTEND")) == ("20261103T180000", "20261103T190000")
    assert_every_tzid_has_a_vtimezone(calendar)
    assert observances(calendar, "America/Chicago") == [
        ("DAYLIGHT", "20250309T020000", "-0600", "-0500", "CDT"),
        ("STANDARD", "20251102T020000", "-0500", "-0600", "CST"),
        ("DAYLIGHT", "20260308T020000", "-0600", "-0500", "CDT"),
        ("STANDARD", "20261101T020000", "-0500", "-0600", "CST"),
    ]


def test_berlin_observances_follow_the_rfc_examples_form(school: School) -> None:
    first = datetime(2026, 3, 22, 9, 0, tzinfo=UTC)
    sessions = schedule(school, starts_at=first, weekly_occurrences=2).sessions
    calendar = parse(session_ics(sessions[1], site_url=SITE))
    [event] = calendar.all("VEVENT")
    assert event.value("DTSTART") == "20260329T100000"
    assert observances(calendar, "Europe/Berlin") == [
        ("DAYLIGHT", "20250330T020000", "+0100", "+0200", "CEST"),
        ("STANDARD", "20251026T030000", "+0200", "+0100", "CET"),
        ("DAYLIGHT", "20260329T020000", "+0100", "+0200", "CEST"),
        ("STANDARD", "20261025T030000", "+0200", "+0100", "CET"),
    ]


def test_a_zone_without_daylight_saving_has_one_standard_observance(school: School) -> None:
    first = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)
    sessions = schedule(
        school, starts_at=first, weekly_occurrences=2, series_time_zone="Asia/Tokyo"
    ).sessions
    calendar = parse(session_ics(sessions[0], site_url=SITE))
    assert observances(calendar, "Asia/Tokyo") == [
        ("STANDARD", "20250101T090000", "+0900", "+0900", "JST"),
    ]


def test_an_occurrence_moved_to_the_second_of_two_equal_local_times_is_written_in_utc(
    school: School,
) -> None:
    sessions = schedule(school, weekly_occurrences=2).sessions
    second_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, after 02:30 CEST
    move_occurrence(
        session=sessions[1],
        starts_at=second_0230,
        ends_at=second_0230 + timedelta(hours=1),
        by=school.instructor,
    )
    [event] = parse(session_ics(sessions[1], site_url=SITE)).all("VEVENT")
    assert event.get("DTSTART").params == {}
    assert event.value("DTSTART") == "20261025T013000Z"
    assert event.get("DTEND").params == {"TZID": "Europe/Berlin"}
    assert event.value("DTEND") == "20261025T033000"


def test_uids_stay_and_the_sequence_grows_on_a_move_and_a_cancellation(school: School) -> None:
    session = schedule(school).sessions[0]
    before = events(parse(person_feed(school.ada, site_url=SITE)))
    again = events(parse(person_feed(school.ada, site_url=SITE)))
    uid = f"{session.ical_uid}@cadenza"
    assert list(before) == list(again) == [uid]
    assert before[uid].value("SEQUENCE") == "0"
    move_occurrence(
        session=session,
        starts_at=START + timedelta(hours=1),
        ends_at=START + timedelta(hours=2),
        by=school.instructor,
    )
    moved = events(parse(person_feed(school.ada, site_url=SITE)))[uid]
    assert (moved.value("SEQUENCE"), moved.value("DTSTART"), moved.value("STATUS")) == (
        "1",
        "20260330T170000Z",
        "CONFIRMED",
    )
    cancel_session(session=fresh(session), by=school.instructor)
    cancelled = events(parse(person_feed(school.ada, site_url=SITE)))[uid]
    assert (cancelled.value("SEQUENCE"), cancelled.value("STATUS")) == ("2", "CANCELLED")


def test_a_persons_feed_lists_what_they_take_part_in_across_courses_and_organizations(
    school: School,
) -> None:
    schedule(school, title="Shown")
    draft_module = add_module(course=school.course, title="Draft module")
    schedule_live_session(
        module=draft_module,
        title="Draft",
        agenda="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        hosts=[school.instructor],
        format=SessionFormat.CLASS,
        created_by=school.instructor,
    )
    other_course = make_course(school.org, title="Other course", slug="other")
    other_module = make_module(other_course)
    schedule_live_session(
        module=other_module,
        title="Not enrolled",
        agenda="",
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        hosts=[school.ta],
        format=SessionFormat.CLASS,
        created_by=school.admin,
    )
    publish_course(course=other_course)
    add_member(org=school.other_org, user=school.ada, role=Role.LEARNER)
    elsewhere_course = make_course(school.other_org, title="Triage", slug="triage")
    schedule_live_session(
        module=make_module(elsewhere_course),
        title="Triage drill",
        agenda="",
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=1),
        hosts=[school.stranger],
        format=SessionFormat.CLASS,
        created_by=school.stranger,
    )
    publish_course(course=elsewhere_course)
    enrol(elsewhere_course, school.ada)

    def summaries(user: User) -> list[str]:
        feed = parse(person_feed(user, site_url=SITE))
        return [unescape(event.value("SUMMARY")) for event in feed.all("VEVENT")]

    assert summaries(school.ada) == ["Shown", "Triage drill"]
    assert summaries(school.instructor) == ["Shown", "Draft"]
    assert summaries(school.ta) == ["Not enrolled"]
    assert summaries(school.carl) == []
    withdraw_learner(enrolment=Enrolment.objects.get(user=school.ada, course=school.course))
    assert summaries(school.ada) == ["Triage drill"]


def test_a_feed_with_long_multilingual_text_obeys_the_physical_rules(school: School) -> None:
    schedule(
        school,
        title="Simulación de sepsis — 敗血症シミュレーション — " * 3,
        agenda="Ünïcödé; agenda, with\r\nnewlines\\ and 🎻 " * 10,
    )
    text = person_feed(school.ada, site_url=SITE)
    lines = physical_lines(text)
    assert max(len(line.encode()) for line in lines) == 75
    calendar = parse(text)
    [event] = calendar.all("VEVENT")
    title = ("Simulación de sepsis — 敗血症シミュレーション — " * 3).strip()
    assert unescape(event.value("SUMMARY")) == title
    assert unescape(event.value("DESCRIPTION")).startswith("Ünïcödé; agenda, with\nnewlines\\ ")
