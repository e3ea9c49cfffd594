from django.urls import path

from huddle.records import views

urlpatterns = [
    path("messages/<int:thread_id>/export", views.thread_export, name="thread_export"),
    path("settings/records", views.records_settings, name="records_settings"),
    path("settings/records/retention", views.save_retention, name="records_retention"),
    path("settings/records/exports", views.start_export, name="records_export"),
    path(
        "settings/records/exports/<int:export_id>/download",
        views.download_export,
        name="records_export_download",
    ),
    path("settings/records/holds", views.place_hold, name="records_hold"),
    path(
        "settings/records/holds/<int:hold_id>/release",
        views.release_hold,
        name="records_hold_release",
    ),
    path("emergency-access", views.emergency_search, name="emergency_access"),
    path("emergency-access/<int:client_id>", views.emergency_client, name="emergency_client"),
]
