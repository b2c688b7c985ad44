"""A video unit's page with captions: a track per language for the player and the transcript
beside the video, one query for them whatever their number."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.actions import save_caption_track
from cadenza.courses.models import Unit, UnitKind
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.factories import enrol
from tests.learning.conftest import CourseBuilder

pytestmark = pytest.mark.django_db

VTT = """WEBVTT

00:01.000 --> 00:04.500
<v Dr. Okafor>Sepsis is <i>time-critical</i>.

00:04.500 --> 00:07.000
Measure lactate & take cultures <script>x()</script>

01:05:00.000 --> 01:05:02.000
The end.
"""


def add_captions(unit: Unit, instructor: User, language: str, label: str) -> None:
    ctx = OrgContext(org=unit.org, user=instructor, role=Role.INSTRUCTOR)
    save_caption_track(ctx=ctx, unit=unit, language=language, label=label, file=VTT)


def page(client: Client, org: Organization, unit: Unit) -> str:
    url = reverse("unit", args=[org.slug, unit.course.slug, unit.pk])
    return client.get(url).content.decode()


def test_the_video_has_a_track_per_language_and_the_transcript_beside_it(
    build_course: CourseBuilder, learner: User, instructor: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    unit = built.units[0]
    add_captions(unit, instructor, "fr", "Français")
    add_captions(unit, instructor, "en", "English")
    enrol(built.course, learner)
    client = Client()
    client.force_login(learner)

    html = page(client, org, unit)

    base = f"/o/{org.slug}/courses/{built.course.slug}/units/{unit.pk}/captions"
    assert re.findall(r"<track [^>]*>", html) == [
        f'<track kind="captions" srclang="en" label="English" src="{base}/en.vtt">',
        f'<track kind="captions" srclang="fr" label="Français" src="{base}/fr.vtt">',
    ]
    assert re.findall(r'<ol class="transcript-lines" lang="(\w+)"', html) == ["en", "fr"]
    lines = re.findall(
        r'data-start="([\d.]+)" data-end="([\d.]+)"><span class="transcript-time">'
        r'<span class="visually-hidden">Play from </span>([\d:]+)</span> '
        r'<span class="transcript-text">([^<]*)</span>',
        html,
    )
    assert lines[:3] == [
        ("1.000", "4.500", "0:01", "Dr. Okafor: Sepsis is time-critical."),
        ("4.500", "7.000", "0:04", "Measure lactate &amp; take cultures x()"),
        ("3900.000", "3902.000", "1:05:00", "The end."),
    ]
    assert len(lines) == 6
    assert '<select id="transcript-language" data-transcript-language>' in html
    assert "learning/transcript.js" in html
    assert "<script>x()" not in html


def test_a_video_without_captions_has_no_track_and_no_transcript(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1, kinds=(UnitKind.VIDEO,))
    enrol(built.course, learner)
    client = Client()
    client.force_login(learner)

    html = page(client, org, built.units[0])

    assert "<track" not in html
    assert "Transcript" not in html
    assert "learning/transcript.js" not in html


def test_the_page_reads_captions_in_one_query_whatever_their_number(
    build_course: CourseBuilder, learner: User, instructor: User, org: Organization
) -> None:
    counts = []
    for languages in (["en"], ["en", "fr", "de"]):
        built = build_course(units=1, kinds=(UnitKind.VIDEO,))
        unit = built.units[0]
        for language in languages:
            add_captions(unit, instructor, language, language.upper())
        enrol(built.course, learner)
        client = Client()
        client.force_login(learner)
        page(client, org, unit)  # the first visit writes the progress row
        with CaptureQueriesContext(connection) as captured:
            assert f'lang="{languages[-1]}"' in page(client, org, unit)
        counts.append(len(captured.captured_queries))
    # The reading unit's page of test_learner_views (10) and the caption tracks' query.
    assert counts == [11, 11]
