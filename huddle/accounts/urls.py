from django.urls import path

from huddle.accounts import link_views

urlpatterns = [
    path("signin/forgot", link_views.forgot_staff, name="forgot_password"),
    path("portal/signin/forgot", link_views.forgot_client, name="portal_forgot_password"),
    path("account/link", link_views.link_open, name="password_link"),
    path("account/password", link_views.link_use, name="password_link_use"),
    path(
        "settings/staff/<int:staff_id>/sign-in-link",
        link_views.staff_send_link,
        name="staff_send_link",
    ),
]
