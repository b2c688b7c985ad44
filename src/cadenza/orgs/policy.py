"""Who may do what: the one place that answers "may this person do this here?".

Every view, API endpoint and selector asks this module; nothing else compares roles. The same
rules filter querysets (``visible_courses`` in courses.selectors uses ``may``) and check single
objects, so a list never shows what a detail page would refuse.
"""

from __future__ import annotations

from enum import StrEnum

from cadenza.orgs.models import Role


class Permission(StrEnum):
    """An action on an organization's things."""

    VIEW_CATALOG = "view_catalog"
    SELF_ENROL = "self_enrol"
    AUTHOR_COURSES = "author_courses"
    VIEW_DRAFTS = "view_drafts"
    ENROL_OTHERS = "enrol_others"
    VIEW_LEARNER_PROGRESS = "view_learner_progress"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_ORGANIZATION = "manage_organization"
    HOST_LIVE_SESSIONS = "host_live_sessions"
    GRADE_ASSIGNED_COURSES = "grade_assigned_courses"
    GRADE_EVERY_COURSE = "grade_every_course"
    GRANT_EXTENSIONS = "grant_extensions"
    MODERATE_FORUMS = "moderate_forums"
    """Pin, lock, endorse, delete others' posts, work the moderation and unanswered queues,
    and see who wrote an anonymous post (anonymity is towards peers, never towards staff)."""


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.LEARNER: frozenset({Permission.VIEW_CATALOG, Permission.SELF_ENROL}),
    Role.TA: frozenset(
        {
            Permission.VIEW_CATALOG,
            Permission.VIEW_DRAFTS,
            Permission.VIEW_LEARNER_PROGRESS,
            Permission.HOST_LIVE_SESSIONS,
            Permission.GRADE_ASSIGNED_COURSES,
            Permission.MODERATE_FORUMS,
        }
    ),
    Role.INSTRUCTOR: frozenset(
        {
            Permission.VIEW_CATALOG,
            Permission.SELF_ENROL,
            Permission.AUTHOR_COURSES,
            Permission.VIEW_DRAFTS,
            Permission.ENROL_OTHERS,
            Permission.VIEW_LEARNER_PROGRESS,
            Permission.HOST_LIVE_SESSIONS,
            Permission.GRADE_ASSIGNED_COURSES,
            Permission.GRADE_EVERY_COURSE,
            Permission.GRANT_EXTENSIONS,
            Permission.MODERATE_FORUMS,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def may(role: Role | str | None, permission: Permission) -> bool:
    """Whether a person with ``role`` in an organization (None: no role) holds ``permission``."""
    if role is None:
        return False
    return permission in _GRANTS[Role(role)]


def roles_with(permission: Permission) -> list[str]:
    """The roles holding ``permission``, to filter memberships in a query
    (``role__in=roles_with(...)``) with the same rule ``may`` applies to one person."""
    return [role.value for role in Role if permission in _GRANTS[role]]


def is_staff_role(role: Role | str | None) -> bool:
    """Instructors, TAs and admins: the people who see drafts and learners' progress."""
    return may(role, Permission.VIEW_DRAFTS)


class HomeSection(StrEnum):
    """A part of the organization's home page (``/o/<slug>/``)."""

    ORGANIZATION = "organization"
    TEACHING = "teaching"
    LEARNING = "learning"


def home_sections(role: Role | str | None) -> list[HomeSection]:
    """The parts of the home a person with ``role`` may see, most important first: the
    organization's (people, courses, settings) for those who manage it, teaching for those
    who host live sessions, and learning for everyone (anyone may be enrolled).

    The page always shows the first; the others only when they hold something for the
    person (a course they teach or a session they host; a course they are enrolled in or a
    session they may join), so nobody lands on an empty "My learning".
    """
    if role is None:
        return []
    sections = []
    if may(role, Permission.MANAGE_ORGANIZATION):
        sections.append(HomeSection.ORGANIZATION)
    if may(role, Permission.HOST_LIVE_SESSIONS):
        sections.append(HomeSection.TEACHING)
    sections.append(HomeSection.LEARNING)
    return sections


def may_grade(role: Role | str | None, *, is_course_grader: bool) -> bool:
    """Whether a person may read and grade a course's submissions: instructors and admins in
    every course of their organization; a TA only in the courses an instructor made them a
    grader of (``is_course_grader``); learners never (not even their own: they read their
    returned feedback, which is another question)."""
    if may(role, Permission.GRADE_EVERY_COURSE):
        return True
    return is_course_grader and may(role, Permission.GRADE_ASSIGNED_COURSES)


# Forums (cadenza.forums): the rules about one post or thread, given the facts the caller has
# at hand. Who may *see* a forum is the forums' visibility queryset (enrolled, published).


def may_moderate_forums(role: Role | str | None) -> bool:
    """Pin, lock, endorse, delete anyone's post, toggle a unit's discussion, see reports."""
    return may(role, Permission.MODERATE_FORUMS)


def sees_anonymous_authors(role: Role | str | None) -> bool:
    """Anonymous posts are anonymous to peers only: staff always see who wrote them."""
    return may(role, Permission.MODERATE_FORUMS)


def may_post_in_thread(role: Role | str | None, *, thread_locked: bool) -> bool:
    """A locked thread takes no new replies, except from moderators."""
    return not thread_locked or may_moderate_forums(role)


def may_edit_post(role: Role | str | None, *, is_author: bool, thread_locked: bool) -> bool:
    """Authors edit their own posts while the thread is open; moderators edit any post."""
    return may_moderate_forums(role) or (is_author and not thread_locked)


def may_delete_post(role: Role | str | None, *, is_author: bool) -> bool:
    """Authors delete their own posts; moderators anyone's."""
    return is_author or may_moderate_forums(role)


def may_accept_answer(role: Role | str | None, *, is_asker: bool) -> bool:
    """The person who asked a question accepts an answer (moderators may too)."""
    return is_asker or may_moderate_forums(role)
