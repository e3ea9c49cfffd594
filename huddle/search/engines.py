"""The two full-text engines behind one query: SQLite's FTS5 and PostgreSQL's
text search. Each turns `Terms` into its own query, every word quoted (so no
typed text is ever an operator), and says how to match, rank and cut snippets.

Ranks are "higher is better" on both: FTS5's bm25 negated, PostgreSQL's ts_rank.
Both run as one statement (`page_statement`).
"""

from __future__ import annotations

from django.db import connection

from huddle.messaging import rules
from huddle.search.terms import Terms

CONFIG = "huddle_search"  # PostgreSQL: English stemming after unaccent (migration 0002)
SNIPPET_WORDS = 24
# A search ranks the newest WINDOW matching documents the caller may see: the
# work of a search is bounded by it, not by how many messages hold a common word
# (docs/PERFORMANCE.md, "Search"). Fewer matches than this are all ranked.
WINDOW = 1000
FALLBACK_CHARS = 200  # SQLite: a snippet FTS5 cannot cut is the text's beginning
# PostgreSQL's ts_headline options: one fragment of about SNIPPET_WORDS words.
HEADLINE = (
    f"StartSel=\x01, StopSel=\x02, MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2},"
    " ShortWord=2, MaxFragments=1, FragmentDelimiter=\x03"
)


def _fts5_phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'  # words hold letters and digits only


def fts5_query(terms: Terms) -> str:
    """`"a" "b c" "pre"* NOT "x"` in FTS5's syntax."""
    parts = [_fts5_phrase(p) for p in terms.include]
    if terms.prefix:
        parts.append(_fts5_phrase((terms.prefix,)) + "*")
    query = "(" + " ".join(parts) + ")"
    for phrase in terms.exclude:
        query += " NOT " + _fts5_phrase(phrase)
    return query


def fts5_words(terms: Terms) -> str:
    """The words to mark in snippets, as an FTS5 query: any include phrase, or the
    word being typed as a whole word. No prefix: FTS5 gathers a prefix's matches
    anew for each row it is asked about, but seeks a whole word's (a row matched
    by the prefix alone gets no snippet from FTS5: see `snippets.mark_prefix`)."""
    phrases = [*terms.include, *([(terms.prefix,)] if terms.prefix else [])]
    return " OR ".join(_fts5_phrase(p) for p in phrases)


def websearch_text(terms: Terms) -> str:
    """`"a" "b c" -"x"` for websearch_to_tsquery: quoted, so `or` stays a word."""
    parts = [_fts5_phrase(p) for p in terms.include]
    parts += ["-" + _fts5_phrase(p) for p in terms.exclude]
    return " ".join(parts)


def _postgres_query(terms: Terms) -> tuple[str, tuple[object, ...]]:
    parts: list[str] = []
    params: list[object] = []
    if terms.include or terms.exclude:
        parts.append(f"websearch_to_tsquery('{CONFIG}', %s)")
        params.append(websearch_text(terms))
    if terms.prefix:
        parts.append(f"to_tsquery('{CONFIG}', %s)")
        params.append(f"'{terms.prefix}':*")
    return "(" + " && ".join(parts) + ")", tuple(params)


_PAGE_OF = """
SELECT r.id, r.rank, d.kind, d.entry_id, d.thread_id, t.subject, t.view,
       e.author_id, a.name, d.created_at, {snippet}
FROM (
  SELECT id, rank FROM (
    SELECT d.id AS id, {rank} AS rank
    FROM {source}
    {with_thread_and_places}
    WHERE {match} AND {where}
    ORDER BY {newest} DESC
    LIMIT %s
  ) m WHERE 1 = 1 {after}
  ORDER BY rank DESC, id DESC
  LIMIT %s
) r
{snippet_source}
JOIN search_document d ON d.id = r.id
{with_thread}
{with_entry}
JOIN accounts_user a ON a.id = e.author_id
{snippet_match}
ORDER BY r.rank DESC, r.id DESC
"""


# Messaging's tables, named by messaging (rules.py): the document's thread and the
# caller's place on it, and the entry it comes from.
_MESSAGING_JOINS = {
    "with_thread_and_places": rules.WITH_THREAD_AND_PLACES.format(of="d"),
    "with_thread": rules.WITH_THREAD.format(of="d"),
    "with_entry": rules.WITH_ENTRY.format(entry="d.entry_id"),
}


def page_statement(
    terms: Terms,
    where: str,
    where_params: list[object],
    after: str,
    after_params: list[object],
    size: int,
) -> tuple[str, list[object]]:
    """One statement: the best `size` documents matching `terms` among those
    `where` allows (over the document `d`, its thread `t` and the caller's
    participation `p`), among the newest WINDOW of them, after the cursor's
    condition `after` (over `rank` and `id`), with their threads, authors and
    snippets. Ranks are computed for the window only, snippets for the page only."""
    tail = [WINDOW, *after_params, size]
    if connection.vendor == "sqlite":
        query = fts5_query(terms)
        statement = _PAGE_OF.format(
            **_MESSAGING_JOINS,
            snippet=(
                "CASE WHEN search_fts.rowid IS NULL"
                f" THEN substr(d.text, 1, {FALLBACK_CHARS})"
                f" || CASE WHEN length(d.text) > {FALLBACK_CHARS} THEN '…' ELSE '' END"
                f" ELSE snippet(search_fts, 0, char(1), char(2), '…', {SNIPPET_WORDS}) END"
            ),
            rank="-bm25(search_fts)",
            source="search_fts JOIN search_document d ON d.id = search_fts.rowid",
            match="search_fts MATCH %s",
            newest="search_fts.rowid",
            where=where,
            after=after,
            snippet_source="",
            snippet_match=(
                "LEFT JOIN search_fts ON search_fts.rowid = r.id AND search_fts MATCH %s"
            ),
        )
        return statement, [query, *where_params, *tail, fts5_words(terms)]
    q, q_params = _postgres_query(terms)
    statement = _PAGE_OF.format(
        **_MESSAGING_JOINS,
        snippet=f"ts_headline('{CONFIG}', d.text, {q}, %s)",
        rank=f"ts_rank(d.vector, {q})::float8",
        source="search_document d",
        match=f"d.vector @@ {q}",
        newest="d.id + 0",  # not the primary key in reverse: the GIN index first
        where=where,
        after=after,
        snippet_source="",
        snippet_match="",
    )
    return statement, [*q_params, HEADLINE, *q_params, *q_params, *where_params, *tail]
