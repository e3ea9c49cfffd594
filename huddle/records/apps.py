from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "huddle.records"
    label = "records"

    def ready(self) -> None:
        # Emergency access opens threads to someone not on them (messaging/access.py).
        from huddle.messaging import access
        from huddle.records.emergency import emergency_thread

        if emergency_thread not in access.GRANTS:
            access.GRANTS.append(emergency_thread)
