"""What every router does the same way: resolve the organization of the URL, hand a parsed
body to the pages' own form for the rules they share, and describe errors in the schema.

Endpoints stay thin: they parse with a ninja ``Schema``, authorize with the ``access_*``
selectors, call one action or selector and describe the result. Errors are raised, never
returned: ``cadenza.api.errors`` turns them into JSON answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema

from cadenza.accounts.models import User
from cadenza.courses.models import Course
from cadenza.courses.selectors import access_course_for_teaching
from cadenza.lib.markdown import render_markdown
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, access_org


class ErrorOut(Schema):
    """A refusal: 400 (a domain rule), 401, 403 (your role), 404 (no such thing for you)."""

    detail: str


class InvalidOut(Schema):
    """422: the request does not parse or breaks a field's rule; ``errors`` by field."""

    detail: str
    errors: dict[str, list[str]]


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: InvalidOut,
    500: ErrorOut,
}
"""The error answers every endpoint may give, for the OpenAPI schema: 401 when not signed in,
500 (a bug of ours, logged; the body says nothing of it)."""


class PersonOut(Schema):
    """A person as others see them."""

    id: int
    email: str
    name: str


def person_out(user: User) -> PersonOut:
    return PersonOut(id=user.pk, email=user.email, name=user.name)


def signed_in(request: HttpRequest) -> User:
    """The person making the request (``django_auth`` has refused anyone else with 401)."""
    user = request.user
    assert isinstance(user, User)
    return user


def member_context(request: HttpRequest, org: str) -> OrgContext:
    """The organization ``org`` (a slug) as the signed-in person sees it; 404 for non-members."""
    return access_org(user=signed_in(request), slug=org)


def authoring_context(request: HttpRequest, org: str, course: str) -> tuple[OrgContext, Course]:
    """A course for the people who author it (as the builder's pages): 403 for other roles,
    404 for another organization's or a missing one."""
    ctx = member_context(request, org)
    found = access_course_for_teaching(ctx, slug=course)
    ctx.require(Permission.AUTHOR_COURSES)
    return ctx, found


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or ``ValidationError`` with its errors by field (422).

    Used where a page's form holds parsing rules the API must share (a slug made from the
    title, a video given as a file or an https address ...), so they are written once.
    """
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def html(markdown_text: str) -> str:
    """Author-written Markdown as sanitized HTML."""
    return render_markdown(markdown_text) if markdown_text else ""
