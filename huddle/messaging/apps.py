from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "huddle.messaging"

    def ready(self) -> None:
        # Imported here, once the models are loaded (Django's rule for ready()).
        from huddle.accounts import counters
        from huddle.accounts.signals import staff_access_changed
        from huddle.events import source
        from huddle.messaging.audiences import on_staff_access_changed
        from huddle.messaging.queries import unread_counts
        from huddle.messaging.stream_source import SOURCE

        # The live streams read their history from messaging (events/source.py).
        source.use(SOURCE)
        # The badge of GET /me (accounts/counters.py).
        counters.provide_unread(unread_counts)
        # Who may see which client threads follows roles, care teams and cover.
        staff_access_changed.connect(on_staff_access_changed, dispatch_uid="messaging-access")
