"""A Django admin page that shows records without offering to change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest


class ReadOnlyModelAdmin(admin.ModelAdmin[Model]):
    """For facts and records whose writes belong to actions (the learning record, attempts,
    the outbox): the operator can look and search, but the admin cannot bypass the rules."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
