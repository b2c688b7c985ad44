"""The operator's view of organizations and memberships in Django's admin."""

from __future__ import annotations

from django.contrib import admin

from cadenza.orgs.models import Membership, Organization, Removal


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "joined_at")
    readonly_fields = ("joined_at",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "slug", "time_zone", "allow_self_join", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}  # noqa: RUF012 - Django reads this mapping
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "org", "role", "joined_at")
    list_filter = ("role", "org")
    search_fields = ("user__email", "org__slug")
    raw_id_fields = ("user",)


@admin.register(Removal)
class RemovalAdmin(admin.ModelAdmin[Removal]):
    """People removed from an organization, who may not join it again by themselves;
    deleting a row lets them (inviting them again does too)."""

    list_display = ("user", "org", "removed_by", "removed_at")
    list_filter = ("org",)
    search_fields = ("user__email", "org__slug")
    raw_id_fields = ("user", "removed_by")
