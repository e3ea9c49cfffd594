from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "huddle.twofactor"
