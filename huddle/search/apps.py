from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "huddle.search"

    def ready(self) -> None:
        # Imported here, once the models are loaded (Django's rule for ready()).
        from huddle.messaging import signals
        from huddle.search import index

        # The index is kept inside each message's own transaction (messaging/signals.py).
        signals.entry_stored.connect(index.on_entry_stored, dispatch_uid="search-entry")
        signals.files_attached.connect(index.on_files_attached, dispatch_uid="search-files")
        signals.message_changed.connect(index.on_message_changed, dispatch_uid="search-edit")
