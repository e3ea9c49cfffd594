from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "huddle.events"
    verbose_name = "Live events"
