from django.urls import path

from huddle.notifications import views

urlpatterns = [
    path("profile/notifications", views.staff_preferences, name="profile_notifications"),
    path("portal/notifications", views.client_preferences, name="portal_notifications"),
]
