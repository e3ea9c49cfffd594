"""What other apps may follow about messages, as Django signals, so messaging
need not import the apps that react (STYLE.md, "Layers without cycles"): search
keeps its index, notifications queue emails. Each is sent inside the action's
transaction and its receivers run there, synchronously: a message is findable,
and its emails queued, the moment its send commits, and nothing of a rolled-back
send remains. Keyword arguments as each says; the sender is `Entry`.
"""

from __future__ import annotations

from django.dispatch import Signal

# A message or header change was stored. `entry`; `subject`: the subject a
# thread's first message was sent with ("" otherwise).
entry_stored = Signal()

# Files were attached to a message. `entry`, `names`: their display names.
files_attached = Signal()

# A message was edited or removed (F19). `entry`, as it now is.
message_changed = Signal()

# A new message (also the first of a new thread) is ready to tell people of,
# after its participants were updated. `entry`.
message_sent = Signal()
