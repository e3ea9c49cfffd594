import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
django_application = get_asgi_application()

# Imported once the apps are loaded: /api/v1/events is streamed before Django.
from huddle.core.bodylimit import limit_bodies  # noqa: E402
from huddle.events.stream import with_events  # noqa: E402

# security: bodies are counted and timed as they arrive (core/bodylimit.py).
application = limit_bodies(with_events(django_application))

if os.environ.get("HUDDLE_IN_PROCESS_WORKER") == "1":
    # The single-process default (`make run`): notification emails are sent by a
    # daemon thread of this process. In production run `manage.py run_worker` instead.
    from huddle.notifications.worker import start_in_process
    from huddle.records import worker as records_worker

    start_in_process()
    records_worker.start_in_process()
