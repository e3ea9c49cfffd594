from django.urls import path

from huddle.search import views

urlpatterns = [
    path("search", views.staff_search, name="search"),
    path("portal/search", views.portal_search, name="portal_search"),
]
