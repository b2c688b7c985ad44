"""A person's notification pages, mounted under /notifications/."""

from django.urls import URLPattern, path

from cadenza.notifications import views

urlpatterns: list[URLPattern] = [
    path("", views.notification_centre, name="notification_centre"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path("<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path(
        "unsubscribe/<str:token>/", views.notification_unsubscribe, name="notification_unsubscribe"
    ),
]
