"""Reading courses: what a person may see, and fetching one object with its authorization.

``access_*`` functions fetch one object *and* authorize it: a view or API endpoint gets a
course or unit only through them. Another organization's object, a draft seen by a learner,
or an id that does not exist all answer the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cadenza.courses.models import (
    CaptionTrack,
    CaptionTrackFields,
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    Unit,
)
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.lib.language_tags import InvalidLanguageTag, canonical_language_tag
from cadenza.orgs.models import Organization
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


def visible_courses(ctx: OrgContext) -> QuerySet[Course]:
    """Courses the person may see in the organization: staff see drafts, learners do not."""
    return _visible_courses(ctx.org, sees_drafts=ctx.may(Permission.VIEW_DRAFTS))


def _visible_courses(org: Organization | int, *, sees_drafts: bool) -> QuerySet[Course]:
    courses = scoped(Course.objects.all(), org)
    if sees_drafts:
        return courses
    return courses.filter(published_at__isnull=False)


# The course and unit of every course and unit page, compiled once per process
# (cadenza.lib.compiled_query), one query shape for staff and one for learners. A slug is
# unique in its organization and a unit is one id: no ORDER BY.
_COURSE = {
    sees_drafts: CompiledQuery(
        Course,
        lambda org_id, slug, sees_drafts=sees_drafts: (
            _visible_courses(org_id, sees_drafts=sees_drafts).filter(slug=slug).order_by()[:1]
        ),
    )
    for sees_drafts in (False, True)
}


def access_course(ctx: OrgContext, *, slug: str) -> Course:
    """One course of the organization that the person may see (not necessarily enrolled)."""
    course = _COURSE[ctx.may(Permission.VIEW_DRAFTS)].first(org_id=ctx.org.pk, slug=slug)
    if course is None:
        raise Http404("No such course.")
    return course


_ACTIVE_ENROLMENT = CompiledQuery(
    Enrolment,
    lambda course_id, user_id: Enrolment.objects.filter(
        course_id=course_id, user_id=user_id, status=EnrolmentStatus.ACTIVE
    ).order_by()[:1],  # one enrolment per course and person
)


def active_enrolment(ctx: OrgContext, course: Course) -> Enrolment | None:
    """The person's active enrolment in ``course``, if any."""
    return _ACTIVE_ENROLMENT.first(course_id=course.pk, user_id=ctx.user.pk)


def visible_units(ctx: OrgContext, course: Course) -> QuerySet[Unit]:
    """The units of ``course`` the person may open, in outline order."""
    return visible_units_of(ctx.org.pk, course.pk, sees_drafts=ctx.may(Permission.VIEW_DRAFTS))


def visible_units_of(org_id: int, course_id: int, *, sees_drafts: bool) -> QuerySet[Unit]:
    """``visible_units`` by ids, for queries compiled once (cadenza.lib.compiled_query)."""
    units = Unit.objects.visible_to(sees_drafts=sees_drafts)
    return scoped(units.filter(course_id=course_id), org_id).order_by(
        "module__position", "module_id", "position", "id"
    )


_UNIT_TITLES = {
    sees_drafts: CompiledQuery(
        Unit,
        lambda org_id, course_id, sees_drafts=sees_drafts: visible_units_of(
            org_id, course_id, sees_drafts=sees_drafts
        ).only("id", "title"),
    )
    for sees_drafts in (False, True)
}


def visible_unit_titles(ctx: OrgContext, course: Course) -> list[tuple[int, str]]:
    """``(id, title)`` of the units of ``course`` the person may open, in outline order: the
    unit page's navigation, compiled once per process (cadenza.lib.compiled_query)."""
    units = _UNIT_TITLES[ctx.may(Permission.VIEW_DRAFTS)].all(
        org_id=ctx.org.pk, course_id=course.pk
    )
    return [(unit.pk, unit.title) for unit in units]


def _openable_unit(org_id: int, course_id: int, unit_id: int, user_id: int = 0) -> QuerySet[Unit]:
    """The unit ``unit_id`` with its module if the person may open it: staff (``user_id``
    0) any unit of the course; a learner a published unit of a course they are actively
    enrolled in (asked in the same query as the unit)."""
    sees_drafts = not user_id
    units: QuerySet[Unit] = scoped(
        Unit.objects.visible_to(sees_drafts=sees_drafts).filter(course_id=course_id, pk=unit_id),
        org_id,
    )
    if not sees_drafts:
        enrolled = Enrolment.objects.filter(
            user_id=user_id, status=EnrolmentStatus.ACTIVE, course=OuterRef("course")
        )
        units = units.filter(Exists(enrolled))
    # One unit by its id: no ORDER BY (``first()`` would order by position, for nothing).
    return units.select_related("module").order_by()[:1]


_UNIT = CompiledQuery(Unit, _openable_unit)


def access_unit(ctx: OrgContext, *, course: Course, unit_id: int) -> Unit:
    """One unit the person may open: staff any unit of the course; learners a published unit
    of a course they are actively enrolled in (asked in the same query as the unit)."""
    if ctx.may(Permission.VIEW_DRAFTS):
        unit = _UNIT.first(org_id=ctx.org.pk, course_id=course.pk, unit_id=unit_id)
    else:
        unit = _UNIT.first(
            org_id=ctx.org.pk, course_id=course.pk, unit_id=unit_id, user_id=ctx.user.pk
        )
    if unit is None:
        raise Http404("No such unit.")
    return unit


def catalog_courses(ctx: OrgContext) -> QuerySet[Course]:
    """The organization's published courses as its members browse them, in one query.

    Each course carries ``module_count`` and ``unit_count`` (what a learner would see: the
    published modules, and the published units in them) and ``is_enrolled`` (the viewer has
    an active enrolment). Staff see the same catalog as learners; drafts are on ``teach``.
    """
    ctx.require(Permission.VIEW_CATALOG)
    modules = Module.objects.filter(course=OuterRef("pk"), published_at__isnull=False)
    units = Unit.objects.filter(
        course=OuterRef("pk"), published_at__isnull=False, module__published_at__isnull=False
    )
    enrolled = Enrolment.objects.filter(
        course=OuterRef("pk"), user=ctx.user, status=EnrolmentStatus.ACTIVE
    )
    return (
        scoped(Course.objects.filter(published_at__isnull=False), ctx.org)
        .annotate(
            module_count=_count_of(modules),
            unit_count=_count_of(units),
            is_enrolled=Exists(enrolled),
        )
        .order_by("title", "id")
    )


def teaching_courses(ctx: OrgContext) -> QuerySet[Course]:
    """Every course of the organization, drafts included, for its staff, in one query; each
    carries ``learner_count`` (active enrolments), ``module_count`` and ``unit_count``.
    Anyone who may not see drafts gets ``PermissionDenied``."""
    ctx.require(Permission.VIEW_DRAFTS)
    learners = Enrolment.objects.filter(course=OuterRef("pk"), status=EnrolmentStatus.ACTIVE)
    return (
        scoped(Course.objects.all(), ctx.org)
        .annotate(
            learner_count=_count_of(learners),
            module_count=_count_of(Module.objects.filter(course=OuterRef("pk"))),
            unit_count=_count_of(Unit.objects.filter(course=OuterRef("pk"))),
        )
        .order_by("title", "id")
    )


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    counted = rows.order_by().values("course").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def access_course_for_teaching(ctx: OrgContext, *, slug: str) -> Course:
    """A course as its staff see it in the builder: 403 for people who may not see drafts,
    404 for a course that is not the organization's."""
    ctx.require(Permission.VIEW_DRAFTS)
    return access_course(ctx, slug=slug)


def access_module(ctx: OrgContext, *, course: Course, module_id: int) -> Module:
    """One module of ``course`` for its staff (404 otherwise: another course's or
    organization's module looks like one that does not exist)."""
    ctx.require(Permission.VIEW_DRAFTS)
    module = scoped(Module.objects.filter(course=course, pk=module_id), ctx.org).first()
    if module is None:
        raise Http404("No such module.")
    return module


def builder_outline(course: Course) -> list[Module]:
    """Every module of the course in order, each with ``units`` prefetched in order: two
    queries whatever the course's size."""
    units = Unit.objects.order_by("position", "id")
    return list(
        Module.objects.filter(course=course)
        .order_by("position", "id")
        .prefetch_related(Prefetch("units", queryset=units))
    )


def course_enrolments(course: Course) -> QuerySet[Enrolment]:
    """A course's enrolments with their people, active ones first, for the staff's list."""
    return (
        Enrolment.objects.filter(course=course)
        .select_related("user", "enrolled_by")
        .order_by("status", "user__email")
    )


def access_enrolment(ctx: OrgContext, *, course: Course, enrolment_id: int) -> Enrolment:
    """One enrolment of ``course``, for people who may enrol others (403 otherwise)."""
    ctx.require(Permission.ENROL_OTHERS)
    enrolment = (
        scoped(Enrolment.objects.filter(course=course, pk=enrolment_id), ctx.org)
        .select_related("user")
        .first()
    )
    if enrolment is None:
        raise Http404("No such enrolment.")
    return enrolment


def caption_tracks(unit: Unit) -> list[CaptionTrack]:
    """A unit's caption tracks by label, without their text (the lists of the builder, the
    API and the player's ``<track>`` elements). One query."""
    return list(
        CaptionTrack.objects.filter(unit=unit).defer("vtt", "transcript").order_by("label", "id")
    )


def access_caption_track(
    ctx: OrgContext, *, course: Course, unit_id: int, language: str
) -> CaptionTrack:
    """One language's captions of a unit the person may open (``access_unit``); any other
    organization's, a malformed tag or a language the unit has no captions in: 404."""
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    try:
        language = canonical_language_tag(language)
    except InvalidLanguageTag as malformed:
        raise Http404("No such captions.") from malformed
    track = scoped(CaptionTrack.objects.filter(unit=unit, language=language), ctx.org).first()
    if track is None:
        raise Http404("No such captions.")
    track.unit = unit
    return track


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One cue of a transcript: where it starts and ends (seconds), the start as a clock
    ("1:05", "1:02:03") and its plain text."""

    start: float
    end: float
    clock: str
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A caption track (a unit's or a recording's) with the lines of its transcript (cues
    with no text left out)."""

    track: CaptionTrackFields
    lines: list[TranscriptLine]


def transcripts(unit: Unit) -> list[Transcript]:
    """The unit's caption tracks with their transcripts, by label. One query, which leaves
    the files themselves in the database."""
    tracks = CaptionTrack.objects.filter(unit=unit).defer("vtt", "transcript")
    return [transcript_of(track) for track in tracks.order_by("label", "id")]


def transcript_of(track: CaptionTrackFields) -> Transcript:
    """A track's transcript, from the lines stored with it (no query); any caption track."""
    return Transcript(
        track=track,
        lines=[
            TranscriptLine(
                start=start / 1000, end=end / 1000, clock=_clock(start // 1000), text=text
            )
            for start, end, text in track.transcript_cues
        ],
    )


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
