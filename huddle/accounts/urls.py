from django.urls import path

from huddle.accounts import views

urlpatterns = [
    path("signin", views.signin, name="signin"),
    path("signout", views.signout, name="signout"),
    path("settings/staff/", views.staff_list, name="staff_list"),
    path("settings/staff/new", views.staff_new, name="staff_new"),
    path("settings/staff/<int:staff_id>", views.staff_edit, name="staff_edit"),
    path("settings/staff/<int:staff_id>/active", views.staff_set_active, name="staff_set_active"),
]
