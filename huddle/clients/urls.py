from django.urls import path

from huddle.clients import views

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("new", views.client_new, name="client_new"),
    path("<int:client_id>", views.client_edit, name="client_edit"),
    path("<int:client_id>/sign-in-link", views.client_send_link, name="client_send_link"),
    path("<int:client_id>/two-factor/reset", views.client_reset, name="client_two_factor_reset"),
]
