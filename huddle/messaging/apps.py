from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "huddle.messaging"

    def ready(self) -> None:
        # The live streams read their history from messaging (events/source.py).
        from huddle.events import source
        from huddle.messaging.stream_source import SOURCE

        source.use(SOURCE)
