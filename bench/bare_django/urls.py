"""The one URL of the bare project."""

from django.urls import URLPattern, path

from bare_django import views

urlpatterns: list[URLPattern] = [path("", views.page, name="page")]
