"""The platform operator inspects every organization through Django's admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from tests.test_tenant_isolation import build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return User.objects.create_superuser(
        email="operator@cadenza.example", username="operator@cadenza.example", password="x"
    )


def test_operator_opens_the_list_of_every_registered_model(client: Client, operator: User) -> None:
    build_site("delta")
    client.force_login(operator)
    labels = sorted(
        f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
    )
    assert labels == [
        "accounts.user",
        "activity.statement",
        "assignments.assignment",
        "assignments.extension",
        "assignments.grade",
        "assignments.submission",
        "auth.group",
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
        "courses.course",
        "courses.enrolment",
        "courses.module",
        "courses.unit",
        "learning.attempt",
        "learning.question",
        "learning.unitprogress",
        "notifications.outboxemail",
        "orgs.membership",
        "orgs.organization",
        "orgs.removal",
    ]
    for label in labels:
        app_label, model_name = label.split(".")
        response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        assert response.status_code == 200, label


def test_the_learning_record_cannot_be_edited_or_deleted_in_the_admin(
    client: Client, operator: User
) -> None:
    build_site("delta")
    client.force_login(operator)
    statement = Statement.objects.first()
    assert statement is not None
    delete_url = reverse("admin:activity_statement_delete", args=[statement.pk])
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code == 403
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_people_without_staff_status_are_sent_to_the_admin_log_in(client: Client) -> None:
    site = build_site("delta")
    client.force_login(site.admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
