from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo practice (`manage.py seed_demo`): at the top of the stack, it builds
    every app's demo data through their actions, and nothing imports it."""

    name = "huddle.demo"
