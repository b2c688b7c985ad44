"""Every form refuses control characters in text with a form error, and stores nothing
(cadenza.lib.text, wired into Django's text fields by cadenza.web.apps).

Before, a NUL was refused by Django itself but ESC, BEL and the rest of C0, DEL and C1 were
stored as typed. On PostgreSQL these tests also show that a NUL never reaches the database
(which would answer a 500).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import cadenza
from cadenza.accounts.models import User
from cadenza.courses.models import Course
from cadenza.lib.text import refuse_control_characters
from cadenza.orgs.models import Role
from tests.factories import make_org, make_user
from tests.web.conftest import DemoSite
from tests.web.test_accessibility import _form_posts

pytestmark = pytest.mark.django_db

LINE_BREAK_MESSAGE = (
    "This text contains a line break ({code}) at character 7; remove it and try again."
)
ESCAPE_MESSAGE = (
    "This text contains an invisible control character (U+001B ESC) at character 7; "
    "remove it and try again."
)


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(),
        forms.EmailField(),
        forms.SlugField(),
        forms.URLField(assume_scheme="https"),
    ],
)
def test_every_text_field_of_every_form_has_the_rule(field: forms.Field) -> None:
    assert refuse_control_characters in field.validators
    with pytest.raises(forms.ValidationError):
        field.clean("abc\x7fdef")


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the project (its ``*forms`` modules) and of Django's auth and admin."""
    for module in pkgutil.walk_packages(cadenza.__path__, "cadenza."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)
    importlib.import_module("django.contrib.auth.forms")
    importlib.import_module("django.contrib.admin.forms")
    found: list[type[forms.BaseForm]] = []
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return [form for form in found if form.__module__.startswith(("cadenza.", "django.contrib."))]


def test_every_text_field_of_the_projects_and_djangos_forms_has_the_rule() -> None:
    forms_with_text = {}
    for form in _form_classes():
        text_fields = {
            name: refuse_control_characters in field.validators
            for name, field in getattr(form, "base_fields", {}).items()
            if isinstance(field, forms.CharField)
        }
        if text_fields:
            forms_with_text[f"{form.__module__}.{form.__qualname__}"] = text_fields
    without = {
        form: [name for name, has_rule in fields.items() if not has_rule]
        for form, fields in forms_with_text.items()
        if not all(fields.values())
    }
    assert without == {}
    assert {
        "cadenza.accounts.forms.ProfileForm",
        "cadenza.courses.forms.CourseForm",
        "cadenza.live.schedule.forms.SessionForm",
        "django.contrib.auth.forms.AuthenticationForm",
        "django.contrib.admin.forms.AdminAuthenticationForm",
    } <= set(forms_with_text)


def _instructor() -> tuple[Client, str]:
    org = make_org(slug="harbour", name="Harbour Hospital")
    client = Client()
    client.force_login(make_user(org, Role.INSTRUCTOR, email="ines@example.org"))
    return client, reverse("course_new", kwargs={"org_slug": org.slug})


def test_every_one_line_field_of_the_projects_and_djangos_forms_refuses_line_breaks() -> None:
    """A field refuses line breaks unless its widget is a Textarea (cadenza.web.apps)."""
    kept: dict[str, list[str]] = {}
    refused: dict[str, list[str]] = {}
    for form in _form_classes():
        for name, field in getattr(form, "base_fields", {}).items():
            if not isinstance(field, forms.CharField) or isinstance(field, forms.JSONField):
                continue
            try:
                field.validate("Sepsis\u2028care")
            except forms.ValidationError:
                refused.setdefault(form.__qualname__, []).append(name)
            else:
                assert isinstance(field.widget, forms.Textarea), (form, name)
                kept.setdefault(form.__qualname__, []).append(name)
    assert kept == {
        "AssignmentForm": ["body", "rubric"],
        "CourseForm": ["summary"],
        "DraftForm": ["text"],
        "EditSessionForm": ["agenda"],
        "EnrolByEmailsForm": ["emails"],
        "GradeForm": ["comment"],
        "InvitePeopleForm": ["emails"],
        "KnowledgeCheckForm": ["body"],
        "ModuleForm": ["summary"],
        "PostEditForm": ["body"],
        "PreparedPollForm": ["options"],
        "QuestionForm": ["prompt", "explanation"],
        "ReadingForm": ["body"],
        "ReplyForm": ["body"],
        "ReportForm": ["reason"],
        "ResourceForm": ["body"],
        "ScheduleForm": ["agenda"],
        "SessionForm": ["agenda"],
        "ThreadForm": ["body"],
        "UnitForm": ["body"],
        "VideoForm": ["body"],
        "VideoSettingsForm": ["stun_urls"],
    }
    assert {"title"} <= set(refused["CourseForm"])
    assert {"username", "password"} <= set(refused["AuthenticationForm"])


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Sepsis\u2028basics", LINE_BREAK_MESSAGE.format(code="U+2028")),
        ("Sepsis\r\nbasics", LINE_BREAK_MESSAGE.format(code="U+000D")),
        ("Sepsis\x0bbasics", LINE_BREAK_MESSAGE.format(code="U+000B")),
        ("Sepsis\x1b[31m basics", ESCAPE_MESSAGE),
        ("Sepsis\x00 basics", "Null characters are not allowed."),
    ],
)
def test_a_course_title_with_a_control_character_is_refused_and_nothing_stored(
    title: str, message: str
) -> None:
    client, url = _instructor()
    response = client.post(url, {"title": title, "summary": "Fine"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [message]}
    assert Course.objects.count() == 0


def test_a_form_that_makes_a_field_a_textarea_afterwards_keeps_its_line_breaks() -> None:
    class Note(forms.Form):
        title = forms.CharField()
        body = forms.CharField()

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.fields["body"].widget = forms.Textarea()

    note = Note({"title": "Sepsis\nbasics", "body": "Two\r\nlines\u2028"})
    assert note.errors == {"title": [LINE_BREAK_MESSAGE.format(code="U+000A")]}
    assert Note({"title": "Sepsis", "body": "Two\r\nlines"}).is_valid()


def test_a_summary_keeps_its_line_breaks_and_tabs_but_not_a_bell() -> None:
    client, url = _instructor()
    refused = client.post(url, {"title": "Sepsis", "summary": "Ring\x07"})
    assert refused.context["form"].errors == {
        "summary": [
            "This text contains an invisible control character (U+0007 BEL) at character 5; "
            "remove it and try again."
        ]
    }
    assert Course.objects.count() == 0
    client.post(url, {"title": "Sepsis", "summary": "Line one\r\n\tLine two"})
    assert list(Course.objects.values_list("title", "summary")) == [
        ("Sepsis", "Line one\r\n\tLine two")
    ]


def test_a_name_on_the_profile_with_escape_is_refused_and_the_name_kept() -> None:
    org = make_org(slug="harbour", name="Harbour Hospital")
    ada = make_user(org, email="ada@example.org", display_name="Ada")
    client = Client()
    client.force_login(ada)
    response = client.post(
        reverse("profile"),
        {"display_name": "Ada\x1b]0;x\x07", "time_zone": "UTC", "locale": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "display_name": [
            "This text contains an invisible control character (U+001B ESC) at character 4; "
            "remove it and try again."
        ]
    }
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_the_admin_refuses_a_control_character_too() -> None:
    org = make_org(slug="harbour", name="Harbour Hospital")
    ada = make_user(org, email="ada@example.org", display_name="Ada")
    operator = User.objects.create_superuser(
        email="operator@cadenza.example", username="operator@cadenza.example", password="x"
    )
    client = Client()
    client.force_login(operator)
    url = reverse("admin:accounts_user_change", args=[ada.pk])
    response = client.post(
        url,
        {
            "email": ada.email,
            "username": ada.username,
            "display_name": "Ada\x9b2J",
            "time_zone": "UTC",
            "locale": "en",
            "is_active": "on",
            "date_joined_0": "2026-12-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "display_name": [
            "This text contains an invisible control character (U+009B) at character 4; "
            "remove it and try again."
        ]
    }
    ada.refresh_from_db()
    assert ada.display_name == "Ada"


def test_no_form_or_search_answers_500_to_nul_or_escape(demo_site: DemoSite) -> None:
    """Every form of the product (as the accessibility audit posts them), each text value with
    a NUL or an ESC in it, and the admin's search: a form error or a refusal, never a 500
    (on PostgreSQL a NUL reaching a query is one)."""
    operator = User.objects.create_superuser(
        email="operator@cadenza.example", username="operator@cadenza.example", password="x"
    )
    clients: dict[str, Client] = {}
    answers: dict[str, int] = {}
    for viewer, url, data in _form_posts(demo_site):
        if viewer not in clients:
            clients[viewer] = Client()
            if viewer != "anonymous":
                clients[viewer].force_login(demo_site.people[viewer])
        for name in data:
            for bad in ("\x00", "\x1b"):
                response = clients[viewer].post(url, data | {name: f"Sepsis{bad}care"})
                answers[f"POST {url} {name}={bad!r}"] = response.status_code
    staff = Client()
    staff.force_login(operator)
    for bad in ("%00", "%1b"):
        for url in ("/admin/accounts/user/", "/admin/courses/course/"):
            answers[f"GET {url}?q={bad}"] = staff.get(f"{url}?q=Sepsis{bad}").status_code
    assert {request: status for request, status in answers.items() if status >= 500} == {}
    assert len(answers) > 40
