from django.apps import AppConfig


class ThrottleConfig(AppConfig):
    name = "huddle.throttle"
