"""Organization admin pages and joining, mounted under /o/<org_slug>/."""

from django.urls import URLPattern, URLResolver, path

from cadenza.orgs import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", views.org_people, name="org_people"),
    path("people/<int:membership_id>/role/", views.org_member_role, name="org_member_role"),
    path("people/<int:membership_id>/remove/", views.org_member_remove, name="org_member_remove"),
    path("settings/", views.org_settings, name="org_settings"),
    path("join/", views.org_join, name="org_join"),
    path("logo/", views.org_logo, name="org_logo"),
]
