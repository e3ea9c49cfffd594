from django.urls import path

from huddle.administration import audit_views, views

urlpatterns = [
    path("settings/secure-messaging", views.messaging_settings, name="settings_messaging"),
    path("settings/locations/", views.locations, name="locations"),
    path("settings/locations/<int:location_id>", views.location_edit, name="location_edit"),
    path("settings/audit", audit_views.audit_log, name="audit_log"),
]
