from django.urls import path

from huddle.audit import views

urlpatterns = [
    path("settings/audit", views.audit_log, name="audit_log"),
]
