"""Messaging's rules as SQL, each written once (STYLE.md, "A rule is written
once"): the fragments every plain-SQL statement over a person's place on a
thread uses, here or in the apps that read messaging's tables with their own
(search, notifications). Over the participation `p` and, where said, the thread
`t`; values are always parameters (`%s`), in the order each fragment names them.
The ORM side of the same rules is next to them (`queries.is_archived`, the
partial indexes of `models.Participant`).
"""

from __future__ import annotations

# Who may see a thread: their place on it, not deleted, in their practice (client
# threads' places follow roles and assignments: audiences.sync_staff_access).
# Parameters: the user's id, then their practice's.
VISIBLE_TO = "p.user_id = %s AND NOT p.deleted AND t.practice_id = %s"

# A thread with new messages for this person.
UNREAD = "p.unread_count > 0"

# Archived for this person: by them, or by no activity since the cutoff
# (auto-archive). Parameter: the cutoff. Its opposite is IN_INBOX.
ARCHIVED = "(p.archived OR p.activity_at < %s)"
IN_INBOX = "NOT p.archived AND p.activity_at >= %s"

# This person's unread total in one view (the badge): read from the partial index
# `participant_unread` (user, view, unread_count) alone. Parameter: the view.
UNREAD_TOTAL = (
    "(SELECT COALESCE(SUM(o.unread_count), 0) FROM messaging_participant o"
    " WHERE o.user_id = p.user_id AND o.view = %s AND o.unread_count > 0 AND NOT o.deleted)"
)

# The thread of `p` also has this person on it. Parameter: their user id.
HAS_PARTICIPANT = (
    "EXISTS (SELECT 1 FROM messaging_participant o"
    " WHERE o.thread_id = p.thread_id AND o.user_id = %s)"
)

# The user ids of a thread's people (deleted or not). Parameter: the thread's id.
PEOPLE_OF_THREAD = "SELECT user_id FROM messaging_participant WHERE thread_id = %s"

# A row with a `thread_id` column (`{of}`), joined to its thread `t` and to the
# participations `p` on it; and an entry `e` by its id (`{entry}`).
WITH_THREAD_AND_PLACES = (
    "JOIN messaging_thread t ON t.id = {of}.thread_id"
    " JOIN messaging_participant p ON p.thread_id = {of}.thread_id"
)
WITH_THREAD = "JOIN messaging_thread t ON t.id = {of}.thread_id"
WITH_ENTRY = "JOIN messaging_entry e ON e.id = {entry}"
