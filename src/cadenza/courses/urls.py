"""The catalog, the teaching area, the course builder, enrolments, and a video unit's
captions (edited under teach/, served to the player beside the learner's unit page).
Mounted under /o/<org_slug>/."""

from django.urls import URLPattern, URLResolver, path

from cadenza.courses.views import captions, catalog, enrolments, outline, teach

course = "teach/courses/<slug:course_slug>/"
module = course + "modules/<int:module_id>/"
unit = course + "units/<int:unit_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalog/", catalog.catalog, name="catalog"),
    path("teach/", teach.teach, name="teach"),
    path("teach/courses/new/", teach.course_new, name="course_new"),
    path(course, teach.course_builder, name="course_builder"),
    path(course + "edit/", teach.course_edit, name="course_edit"),
    path(course + "publish/", teach.course_publish, name="course_publish"),
    path(course + "enrol/", enrolments.course_enrol_emails, name="course_enrol_emails"),
    path(
        course + "enrolments/<int:enrolment_id>/withdraw/",
        enrolments.enrolment_withdraw,
        name="withdraw_learner",
    ),
    path(course + "modules/new/", outline.module_new, name="module_new"),
    path(module + "edit/", outline.module_edit, name="module_edit"),
    path(module + "move/", outline.module_move, name="module_move"),
    path(module + "publish/", outline.module_publish, name="module_publish"),
    path(module + "delete/", outline.module_delete, name="module_delete"),
    path(module + "units/new/", outline.unit_new, name="unit_new"),
    path(unit + "edit/", outline.unit_edit, name="unit_edit"),
    path(unit + "move/", outline.unit_move, name="unit_move"),
    path(unit + "publish/", outline.unit_publish, name="unit_publish"),
    path(unit + "delete/", outline.unit_delete, name="unit_delete"),
    path(unit + "captions/", captions.caption_add, name="unit_caption_add"),
    path(
        unit + "captions/<str:language>/remove/",
        captions.caption_remove,
        name="unit_caption_remove",
    ),
    path(
        "courses/<slug:course_slug>/units/<int:unit_id>/captions/<str:language>.vtt",
        captions.caption_file,
        name="unit_captions",
    ),
]
