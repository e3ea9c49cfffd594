from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huddle.notifications"

    def ready(self) -> None:
        # Imported here, once the models are loaded (Django's rule for ready()).
        from huddle.messaging import signals
        from huddle.notifications import actions

        # Emails are queued inside each message's own transaction (messaging/signals.py).
        signals.message_sent.connect(actions.on_message_sent, dispatch_uid="notifications-queue")
