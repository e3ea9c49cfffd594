from django.urls import path

from huddle.accounts import link_views, views

urlpatterns = [
    path("signin", views.signin, name="signin"),
    path("signout", views.signout, name="signout"),
    path("signin/forgot", link_views.forgot_staff, name="forgot_password"),
    path("portal/signin/forgot", link_views.forgot_client, name="portal_forgot_password"),
    path("account/link", link_views.link_open, name="password_link"),
    path("account/password", link_views.link_use, name="password_link_use"),
    path("settings/staff/", views.staff_list, name="staff_list"),
    path("settings/staff/new", views.staff_new, name="staff_new"),
    path("settings/staff/<int:staff_id>", views.staff_edit, name="staff_edit"),
    path("settings/staff/<int:staff_id>/active", views.staff_set_active, name="staff_set_active"),
    path(
        "settings/staff/<int:staff_id>/sign-in-link",
        link_views.staff_send_link,
        name="staff_send_link",
    ),
    path(
        "settings/clients/<int:client_id>/sign-in-link",
        link_views.client_send_link,
        name="client_send_link",
    ),
]
