"""Django's SQLite backend, told the real variable limit of SQLite >= 3.32.

Django assumes 999 variables per statement (SQLite before 3.32) and splits a
bulk insert into batches of 999 // columns rows, so a message to a large group
would cost more statements the larger the group. SQLite 3.32 and newer allow
32,766, which keeps a send to 1,000 people in one INSERT.
"""

from __future__ import annotations

import sqlite3

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3 import base, features

if sqlite3.sqlite_version_info < (3, 32):
    raise ImproperlyConfigured("Huddle needs SQLite 3.32 or newer.")


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 32766


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
