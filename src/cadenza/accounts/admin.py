"""The operator's view of accounts in Django's admin (at /admin/)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cadenza.accounts.forms import ThrottledAdminAuthenticationForm
from cadenza.accounts.models import User

# The throttle's reason shows on the admin's log-in page too (cadenza.accounts.login_throttle).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class PersonAdmin(UserAdmin[User]):
    """Accounts sign in by e-mail; the profile (name, zone, locale) sits on the account."""

    list_display = ("email", "display_name", "time_zone", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    fieldsets = (
        (None, {"fields": ("email", "username", "password")}),
        ("Profile", {"fields": ("display_name", "time_zone", "locale")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "username", "password1", "password2"),
            },
        ),
    )
