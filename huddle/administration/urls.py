from django.urls import path

from huddle.administration import audit_views, staff_views, views

urlpatterns = [
    path("settings/secure-messaging", views.messaging_settings, name="settings_messaging"),
    path("settings/locations/", views.locations, name="locations"),
    path("settings/locations/<int:location_id>", views.location_edit, name="location_edit"),
    path("settings/staff/", staff_views.staff_list, name="staff_list"),
    path("settings/staff/new", staff_views.staff_new, name="staff_new"),
    path("settings/staff/<int:staff_id>", staff_views.staff_edit, name="staff_edit"),
    path(
        "settings/staff/<int:staff_id>/active",
        staff_views.staff_set_active,
        name="staff_set_active",
    ),
    path("settings/audit", audit_views.audit_log, name="audit_log"),
]
