"""Assignment pages. Mounted under /o/<org_slug>/: the learner's beside the unit pages, the
staff's under teach/ (the tenant-isolation matrix treats teach/ as staff-only)."""

from django.urls import URLPattern, URLResolver, path

from cadenza.assignments.views import learner, staff

mine = "courses/<slug:course_slug>/units/<int:unit_id>/assignment/"
teach_course = "teach/courses/<slug:course_slug>/"
teach_unit = teach_course + "units/<int:unit_id>/assignment/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(mine, learner.assignment_page, name="assignment"),
    path(mine + "draft/", learner.save_draft, name="assignment_draft"),
    path(mine + "file/", learner.attach_file, name="assignment_attach"),
    path(mine + "file/remove/", learner.detach_file, name="assignment_detach"),
    path(mine + "submit/", learner.submit, name="assignment_submit"),
    path(mine + "files/<int:file_id>/", learner.download, name="assignment_file"),
    path(
        teach_course + "modules/<int:module_id>/assignments/new/",
        staff.assignment_new,
        name="assignment_new",
    ),
    path(teach_unit, staff.assignment_settings, name="assignment_settings"),
    path(teach_unit + "deadlines/", staff.assignment_deadlines, name="assignment_deadlines"),
    path(
        teach_unit + "deadlines/<int:learner_id>/revoke/",
        staff.extension_revoke,
        name="assignment_extension_revoke",
    ),
    path(teach_course + "grading/", staff.course_grading, name="course_grading"),
    path(
        teach_course + "grading/graders/<int:person_id>/",
        staff.course_grader,
        name="course_grader",
    ),
    path("teach/grading/", staff.grading_queue_page, name="grading_queue"),
    path(
        "teach/submissions/<int:submission_id>/",
        staff.grade_submission,
        name="submission_grade",
    ),
]
