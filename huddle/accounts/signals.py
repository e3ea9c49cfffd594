"""What other apps may follow about people, as Django signals, so the apps that
change people need not import the apps that react (STYLE.md, "Layers without
cycles"). Each is sent inside the changing action's transaction; its receivers
run there, synchronously, so their writes commit or roll back with the change.
"""

from __future__ import annotations

from django.dispatch import Signal

# Which client threads these staff may see may have changed: their roles, their
# account's activity, a client's care team, or a colleague's absence they cover.
# Keyword argument: `staff`, the users (sent as a list). Messaging gives and takes
# their places on client threads (messaging.audiences.sync_many).
staff_access_changed = Signal()
