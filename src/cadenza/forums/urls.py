"""The forums' pages, mounted under /o/<org_slug>/: a course's forum under its course, the
staff's queues under ``forum/``."""

from django.urls import URLPattern, URLResolver, path

from cadenza.forums import views

forum = "courses/<slug:course_slug>/forum/"
topic = forum + "topics/<slug:topic>/"
thread = forum + "threads/<int:thread_id>/"
post = forum + "posts/<int:post_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(forum, views.forum_index, name="forum"),
    path(forum + "search/", views.forum_search, name="forum_search"),
    path(topic, views.forum_topic, name="forum_topic"),
    path(topic + "follow/", views.forum_topic_follow, name="forum_topic_follow"),
    path(topic + "discussion/", views.forum_unit_discussion, name="forum_unit_discussion"),
    path(thread, views.forum_thread, name="forum_thread"),
    path(thread + "follow/", views.forum_thread_follow, name="forum_thread_follow"),
    path(thread + "moderate/", views.forum_thread_moderate, name="forum_thread_moderate"),
    path(post + "edit/", views.forum_post_edit, name="forum_post_edit"),
    path(post + "history/", views.forum_post_history, name="forum_post_history"),
    path(post + "vote/", views.forum_post_vote, name="forum_post_vote"),
    path(post + "endorse/", views.forum_post_endorse, name="forum_post_endorse"),
    path(post + "accept/", views.forum_post_accept, name="forum_post_accept"),
    path(post + "delete/", views.forum_post_delete, name="forum_post_delete"),
    path(post + "report/", views.forum_post_report, name="forum_post_report"),
    path("forum/unanswered/", views.forum_unanswered, name="forum_unanswered"),
    path("forum/moderation/", views.forum_moderation, name="forum_moderation"),
    path(
        "forum/reports/<int:report_id>/resolve/",
        views.forum_report_resolve,
        name="forum_report_resolve",
    ),
]
