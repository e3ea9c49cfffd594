from django.urls import path

from huddle.messaging import conversation_views, views
from huddle.messaging.pages import STAFF
from huddle.messaging.thread_views import STAFF_THREAD

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new", views.compose, name="compose"),
    path("<int:thread_id>", STAFF_THREAD["thread"], name="thread"),
    path("<int:thread_id>/reply", STAFF_THREAD["reply"], name="thread_reply"),
    path("<int:thread_id>/header", STAFF_THREAD["header"], name="thread_header"),
    path("<int:thread_id>/archive", STAFF_THREAD["archive"], name="thread_archive"),
    path("<int:thread_id>/unarchive", STAFF_THREAD["unarchive"], name="thread_unarchive"),
    path("<int:thread_id>/delete", STAFF_THREAD["delete"], name="thread_delete"),
    path("<int:thread_id>/unread", STAFF_THREAD["unread"], name="thread_unread"),
    # conversation (F19-F21)
    path("scheduled", conversation_views.scheduled_list, name="scheduled"),
    *conversation_views.message_paths(STAFF),
]
