from django.urls import path

from huddle.messaging.conversation_views import message_paths
from huddle.messaging.pages import PORTAL
from huddle.messaging.thread_views import PORTAL_THREAD
from huddle.portal import views

urlpatterns = [
    path("signin", views.signin, name="portal_signin"),
    path("signout", views.signout, name="portal_signout"),
    path("", views.inbox, name="portal_inbox"),
    path("new", views.compose, name="portal_compose"),
    path("<int:thread_id>", PORTAL_THREAD["thread"], name="portal_thread"),
    path("<int:thread_id>/reply", PORTAL_THREAD["reply"], name="portal_thread_reply"),
    path("<int:thread_id>/header", PORTAL_THREAD["header"], name="portal_thread_header"),
    path("<int:thread_id>/archive", PORTAL_THREAD["archive"], name="portal_thread_archive"),
    path("<int:thread_id>/unarchive", PORTAL_THREAD["unarchive"], name="portal_thread_unarchive"),
    path("<int:thread_id>/delete", PORTAL_THREAD["delete"], name="portal_thread_delete"),
    path("<int:thread_id>/unread", PORTAL_THREAD["unread"], name="portal_thread_unread"),
    # conversation (F19)
    *message_paths(PORTAL),
]
