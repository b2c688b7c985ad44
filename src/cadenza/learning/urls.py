"""Learner pages (outline, units, knowledge checks) and the instructor's views of learners'
progress and questions. Mounted under /o/<org_slug>/. The dashboard, which also lists live
sessions, is ``web``'s (web/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.learning.views import knowledge_checks, learner, progress_table

unit = "courses/<slug:course_slug>/units/<int:unit_id>/"
questions = "teach/courses/<slug:course_slug>/units/<int:unit_id>/questions/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("courses/<slug:course_slug>/", learner.course_outline, name="course_outline"),
    path("courses/<slug:course_slug>/enrol/", learner.self_enrol, name="course_enrol"),
    path("courses/<slug:course_slug>/continue/", learner.continue_course, name="course_continue"),
    path(unit, learner.unit_page, name="unit"),
    path(unit + "progress/", learner.record_progress, name="unit_progress"),
    path(unit + "complete/", learner.mark_complete, name="unit_complete"),
    path(unit + "video/", learner.video_file, name="unit_video"),
    path(unit + "download/", learner.download_resource, name="unit_download"),
    path(
        unit + "check/answer/<int:question_id>/", knowledge_checks.save_answer, name="check_answer"
    ),
    path(unit + "check/submit/", knowledge_checks.submit, name="check_submit"),
    path(unit + "check/retry/", knowledge_checks.retry, name="check_retry"),
    path(
        "teach/courses/<slug:course_slug>/progress/",
        progress_table.course_progress,
        name="course_progress",
    ),
    path(questions, knowledge_checks.question_list, name="check_questions"),
    path(questions + "new/", knowledge_checks.question_new, name="check_question_new"),
    path(
        questions + "<int:question_id>/edit/",
        knowledge_checks.question_edit,
        name="check_question_edit",
    ),
    path(
        questions + "<int:question_id>/delete/",
        knowledge_checks.question_delete,
        name="check_question_delete",
    ),
    path(
        questions + "<int:question_id>/move/",
        knowledge_checks.question_move,
        name="check_question_move",
    ),
]
