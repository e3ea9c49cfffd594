from django.urls import path

from huddle.practices import views

urlpatterns = [
    path("secure-messaging", views.messaging_settings, name="settings_messaging"),
    path("locations/", views.locations, name="locations"),
    path("locations/<int:location_id>", views.location_edit, name="location_edit"),
]
