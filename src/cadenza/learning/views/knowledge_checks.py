"""Knowledge checks: learners' answers (autosaved), submitting and retrying; authors' questions.

The check itself is shown on the unit page (``learning/knowledge_check.html``, filled by
``selectors.knowledge_checks.check_page``). Learner endpoints answer bad input with 400 and a
clear message (JSON ``{"detail": ...}`` for htmx, a short page otherwise) and write nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.courses.selectors import access_course, access_unit, active_enrolment
from cadenza.learning.actions import knowledge_checks as check_actions
from cadenza.learning.actions.knowledge_checks import (
    GivenAnswer,
    InvalidAnswer,
    InvalidQuestion,
    KnowledgeCheckError,
)
from cadenza.learning.models import QuestionKind
from cadenza.learning.selectors.knowledge_checks import (
    access_question,
    authored_questions,
    find_question,
)
from cadenza.learning.views.knowledge_check_forms import QuestionForm
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, access_org

_ANSWER_FIELD = re.compile(r"^(choice|number|text)-(\d{1,18})$")


def _check_unit(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> tuple[OrgContext, Course, Unit]:
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind != UnitKind.KNOWLEDGE_CHECK:
        raise Http404("No such knowledge check.")
    return ctx, course, unit


def _answering(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> tuple[OrgContext, Course, Unit]:
    """The check, for a learner actively enrolled; staff previewing may look, not answer."""
    ctx, course, unit = _check_unit(request, org_slug, course_slug, unit_id)
    if active_enrolment(ctx, course) is None:
        raise PermissionDenied("Only learners enrolled in this course answer its checks.")
    return ctx, course, unit


def _authoring(
    request: HttpRequest,
    org_slug: str,
    course_slug: str,
    unit_id: int,
    permission: Permission = Permission.AUTHOR_COURSES,
) -> tuple[OrgContext, Course, Unit]:
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    ctx.require(permission)
    return _check_unit(request, org_slug, course_slug, unit_id)


def _unit_url(ctx: OrgContext, course: Course, unit: Unit) -> str:
    return reverse("unit", args=[ctx.org.slug, course.slug, unit.pk]) + "#knowledge-check"


def _refused(
    request: HttpRequest, ctx: OrgContext, back_url: str, message: str, status: int = 400
) -> HttpResponse:
    """A clear refusal: JSON for htmx and API-like callers, a short page for a plain form."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.headers.get("HX-Request") or wants_json:
        return JsonResponse({"detail": message}, status=status)
    context = {"ctx": ctx, "message": message, "back_url": back_url}
    return render(request, "learning/knowledge_check_refused.html", context, status=status)


def _last(post: QueryDict, key: str) -> str:
    values = post.getlist(key)
    return values[-1] if values else ""


def _given_answer(post: QueryDict, question_id: int) -> GivenAnswer | None:
    """The answer to one question in a posted form, or None if the form carries none."""
    if f"choice-{question_id}" in post:
        values = [v for v in post.getlist(f"choice-{question_id}") if v != ""]
        if not all(v.isdigit() and len(v) <= 18 for v in values):
            raise InvalidAnswer("That choice does not belong to this question.")
        return GivenAnswer(choice_ids=[int(v) for v in values])
    if f"number-{question_id}" in post:
        raw = _last(post, f"number-{question_id}").strip()
        if not raw:
            return GivenAnswer()
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise InvalidAnswer("Enter a number, like 42 or 3.5.") from None
        if not number.is_finite():
            raise InvalidAnswer("Enter a number, like 42 or 3.5.")
        return GivenAnswer(number=number)
    if f"text-{question_id}" in post:
        return GivenAnswer(text=_last(post, f"text-{question_id}"))
    return None


def _given_answers(post: QueryDict) -> dict[int, GivenAnswer]:
    ids = {int(m.group(2)) for key in post if (m := _ANSWER_FIELD.match(key))}
    answers = {}
    for question_id in ids:
        given = _given_answer(post, question_id)
        if given is not None:
            answers[question_id] = given
    return answers


@login_required
@require_POST
def save_answer(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, question_id: int
) -> HttpResponse:
    """Autosave one question's answer as the learner gives it (htmx, on change)."""
    ctx, course, unit = _answering(request, org_slug, course_slug, unit_id)
    assert isinstance(request.user, User)
    back = _unit_url(ctx, course, unit)
    question = find_question(ctx, unit=unit, question_id=question_id)
    if question is None:
        return _refused(request, ctx, back, "That question is not part of this knowledge check.")
    try:
        given = _given_answer(request.POST, question.pk)
        if given is None:
            raise InvalidAnswer("No answer to this question was sent.")
        check_actions.save_answer(
            user=request.user,
            unit=unit,
            question=question,
            choice_ids=given.choice_ids,
            text=given.text,
            number=given.number,
        )
    except KnowledgeCheckError as error:
        return _refused(request, ctx, back, str(error))
    return render(request, "learning/knowledge_check_saved.html", {"question": question})


@login_required
@require_POST
def submit(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """Save the answers in the posted form, then grade the attempt; back to the unit page."""
    ctx, course, unit = _answering(request, org_slug, course_slug, unit_id)
    assert isinstance(request.user, User)
    back = _unit_url(ctx, course, unit)
    try:
        check_actions.submit_attempt(
            user=request.user, unit=unit, answers=_given_answers(request.POST)
        )
    except KnowledgeCheckError as error:
        return _refused(request, ctx, back, str(error))
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": back})
    return redirect(back)


@login_required
@require_POST
def retry(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """Start the next attempt ("Try again"); back to the unit page with an empty form."""
    ctx, course, unit = _answering(request, org_slug, course_slug, unit_id)
    assert isinstance(request.user, User)
    back = _unit_url(ctx, course, unit)
    try:
        check_actions.start_new_attempt(user=request.user, unit=unit)
    except KnowledgeCheckError as error:
        return _refused(request, ctx, back, str(error))
    return redirect(back)


@login_required
@require_GET
def question_list(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """The check's questions for staff; authors also add, edit, reorder and delete them."""
    ctx, course, unit = _authoring(
        request, org_slug, course_slug, unit_id, permission=Permission.VIEW_DRAFTS
    )
    context = {
        "ctx": ctx,
        "course": course,
        "unit": unit,
        "questions": authored_questions(ctx, unit=unit),
        "may_author": ctx.may(Permission.AUTHOR_COURSES),
        "kinds": QuestionKind.choices,
    }
    return render(request, "learning/knowledge_check_questions.html", context)


def _questions_url(ctx: OrgContext, course: Course, unit: Unit) -> str:
    return reverse("check_questions", args=[ctx.org.slug, course.slug, unit.pk])


@login_required
@require_http_methods(["GET", "POST"])
def question_new(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Add a question of the kind named by ``?kind=``."""
    ctx, course, unit = _authoring(request, org_slug, course_slug, unit_id)
    back = _questions_url(ctx, course, unit)
    kind_value = request.GET.get("kind", "")
    if kind_value not in QuestionKind.values:
        return _refused(request, ctx, back, "Choose a kind of question to add.")
    kind = QuestionKind(kind_value)
    form = QuestionForm(request.POST if request.method == "POST" else None, kind=kind)
    if form.is_valid():
        try:
            check_actions.add_question(unit=unit, kind=kind, **form.question_fields())
        except InvalidQuestion as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question added.")
            return redirect(back)
    context = {"ctx": ctx, "course": course, "unit": unit, "form": form, "question": None}
    return render(request, "learning/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, question_id: int
) -> HttpResponse:
    """Change a question's prompt, explanation and answer (its kind stays)."""
    ctx, course, unit = _authoring(request, org_slug, course_slug, unit_id)
    question = access_question(ctx, unit=unit, question_id=question_id)
    kind = QuestionKind(question.kind)
    if request.method == "POST":
        form = QuestionForm(request.POST, kind=kind)
    else:
        form = QuestionForm(kind=kind, initial=QuestionForm.initial_for(question))
    if form.is_valid():
        try:
            check_actions.edit_question(question=question, **form.question_fields())
        except InvalidQuestion as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Question saved.")
            return redirect(_questions_url(ctx, course, unit))
    context = {"ctx": ctx, "course": course, "unit": unit, "form": form, "question": question}
    return render(request, "learning/question_form.html", context)


@login_required
@require_POST
def question_delete(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, question_id: int
) -> HttpResponse:
    """Delete a question (and the answers given to it)."""
    ctx, course, unit = _authoring(request, org_slug, course_slug, unit_id)
    question = access_question(ctx, unit=unit, question_id=question_id)
    check_actions.delete_question(question=question)
    messages.success(request, "Question deleted.")
    return redirect(_questions_url(ctx, course, unit))


@login_required
@require_POST
def question_move(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, question_id: int
) -> HttpResponse:
    """Move a question one place up or down (``direction`` = up | down)."""
    ctx, course, unit = _authoring(request, org_slug, course_slug, unit_id)
    question = access_question(ctx, unit=unit, question_id=question_id)
    back = _questions_url(ctx, course, unit)
    direction = request.POST.get("direction", "")
    if direction == "up":
        check_actions.move_question(question=question, direction="up")
    elif direction == "down":
        check_actions.move_question(question=question, direction="down")
    else:
        return _refused(request, ctx, back, "Move a question up or down.")
    return redirect(back)
