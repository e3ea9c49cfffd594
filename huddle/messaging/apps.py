from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "huddle.messaging"
