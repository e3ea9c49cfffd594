"""Documented limits on what people type. Forms, API schemas and actions share them."""

NAME_MAX = 120
EMAIL_MAX = 254
LOCATION_NAME_MAX = 80
PRACTICE_NAME_MAX = 120
PASSWORD_MAX = 256
SESSION_IDLE_MIN = 5
SESSION_IDLE_MAX = 720
AUTO_ARCHIVE_DAYS = (14, 30, 60)
ID_LIST_MAX = 1000
