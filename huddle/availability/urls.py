from django.urls import path

from huddle.availability import views

urlpatterns = [
    path("settings/hours", views.practice_hours, name="settings_hours"),
    path("profile/away", views.away, name="profile_away"),
    path("profile/away/end", views.away_end, name="profile_away_end"),
]
