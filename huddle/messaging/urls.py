from django.urls import path

from huddle.messaging import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new", views.compose, name="compose"),
    path("<int:thread_id>", views.thread, name="thread"),
    path("<int:thread_id>/reply", views.post_reply, name="thread_reply"),
    path("<int:thread_id>/header", views.edit_header, name="thread_header"),
    path("<int:thread_id>/archive", views.archive, name="thread_archive"),
    path("<int:thread_id>/unarchive", views.unarchive, name="thread_unarchive"),
    path("<int:thread_id>/delete", views.delete, name="thread_delete"),
    path("<int:thread_id>/unread", views.mark_unread, name="thread_unread"),
]
