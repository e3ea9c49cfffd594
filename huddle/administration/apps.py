from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    # An app only for its management command (create_practice).
    name = "huddle.administration"
