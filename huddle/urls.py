from django.urls import include, path

from huddle.api import api
from huddle.core import views as core_views
from huddle.core.security_txt import security_txt
from huddle.events.views import events_once

urlpatterns = [
    # Served as a stream by huddle.events.stream (ASGI) before Django sees it.
    path("api/v1/events", events_once, name="events"),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("", core_views.home, name="home"),
    path("messages/", include("huddle.messaging.urls")),
    path("portal/", include("huddle.portal.urls")),
    path("", include("huddle.signin.urls")),
    path("", include("huddle.accounts.urls")),
    path("", include("huddle.administration.urls")),
    path("settings/clients/", include("huddle.clients.urls")),
    path("", include("huddle.notifications.urls")),
    path("", include("huddle.twofactor.urls")),
    path("", include("huddle.availability.urls")),
    path("", include("huddle.records.urls")),
    path("", include("huddle.search.urls")),
]

handler403 = "huddle.core.views.forbidden"
handler404 = "huddle.core.views.not_found"
handler500 = "huddle.core.views.server_error"
