"""The full-text index beside `search_document`, by database, and the documents
of every message, subject and header change stored before search existed.

SQLite: an FTS5 table over the documents (external content: the text is stored
once, in `search_document`), with the porter stemmer over unicode61 without
diacritics, kept in step by triggers, so any insert or delete of a document
(a cascade from a deleted thread included) updates the index in the same
statement's transaction.

PostgreSQL: the `unaccent` extension, a text search configuration
`huddle_search` (English with stemming, accents removed first), a generated
`tsvector` column and its GIN index (without a pending list).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_document',"
    " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN"
    " INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF text ON search_document BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION huddle_search (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION huddle_search"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE search_document ADD COLUMN vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('huddle_search'::regconfig, text)) STORED",
    # fastupdate off: each message goes into the index as it is sent, instead of a
    # pending list that every search would read through until a vacuum merges it.
    "CREATE INDEX search_document_vector ON search_document USING GIN (vector)"
    " WITH (fastupdate = off)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS huddle_search",
]

# The markers snippets are cut with (search.snippets) never appear in a document.
_CLEAN = "REPLACE(REPLACE({column}, %s, ' '), %s, ' ')"
_MARKS = ("\x01", "\x02")
BACKFILL = [
    (
        "INSERT INTO search_document (thread_id, entry_id, kind, text, created_at)"
        f" SELECT thread_id, id, 'message', {_CLEAN.format(column='body')}, created_at"
        " FROM messaging_entry WHERE kind = 'message' ORDER BY id",
        _MARKS,
    ),
    (
        # A thread's first subject: the one its first header change replaced, or
        # its subject now; found at its first message.
        "INSERT INTO search_document (thread_id, entry_id, kind, text, created_at)"
        " SELECT s.thread_id, s.entry_id, 'subject',"
        f" {_CLEAN.format(column='s.subject')}, s.created_at FROM ("
        " SELECT t.id AS thread_id, t.created_at AS created_at,"
        "  (SELECT MIN(e.id) FROM messaging_entry e"
        "   WHERE e.thread_id = t.id AND e.kind = 'message') AS entry_id,"
        "  COALESCE((SELECT h.old_subject FROM messaging_entry h"
        "   WHERE h.thread_id = t.id AND h.kind = 'header_changed' ORDER BY h.id LIMIT 1),"
        "   t.subject) AS subject"
        " FROM messaging_thread t) s WHERE s.entry_id IS NOT NULL ORDER BY s.entry_id",
        _MARKS,
    ),
    (
        "INSERT INTO search_document (thread_id, entry_id, kind, text, created_at)"
        f" SELECT thread_id, id, 'subject', {_CLEAN.format(column='new_subject')}, created_at"
        " FROM messaging_entry WHERE kind = 'header_changed' ORDER BY id",
        _MARKS,
    ),
]


def up(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(vendor)
    if statements is None:
        raise RuntimeError(f"Search needs SQLite or PostgreSQL, not {vendor}.")
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        for statement, params in BACKFILL:
            cursor.execute(statement, params)


def down(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for statement in {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(vendor, []):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("messaging", "0002_lean_indexes")]

    operations = [migrations.RunPython(up, down, elidable=False)]
