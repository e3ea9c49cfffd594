from django.urls import path

from huddle.twofactor import admin_views, views

urlpatterns = [
    path("signin/code", views.staff_code, name="signin_code"),
    path("portal/signin/code", views.client_code, name="portal_signin_code"),
    path("profile/two-factor", views.staff_page, name="profile_two_factor"),
    path("portal/two-factor", views.client_page, name="portal_two_factor"),
    path(
        "profile/sign-out-everywhere",
        views.staff_sign_out_everywhere,
        name="profile_sign_out_everywhere",
    ),
    path(
        "settings/staff/<int:staff_id>/two-factor/reset",
        admin_views.staff_reset,
        name="staff_two_factor_reset",
    ),
    path(
        "portal/sign-out-everywhere",
        views.client_sign_out_everywhere,
        name="portal_sign_out_everywhere",
    ),
]
