import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
# Each worker thread of the WSGI server keeps its database connection (settings.py).
os.environ.setdefault("HUDDLE_SERVER", "wsgi")
application = get_wsgi_application()
