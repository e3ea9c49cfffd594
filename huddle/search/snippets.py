"""A snippet as the API gives it: plain text with the matched words' places.

The engines cut snippets with \\x01 before and \\x02 after each matched word (a
document never holds either: search.index); this reads them out into
`[start, end)` offsets in code points, and folds runs of white space into one
space so a snippet reads as one line.
"""

from __future__ import annotations

import re
import unicodedata

OPEN, CLOSE, BREAK = "\x01", "\x02", "\x03"


def read_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    length = 0
    spans: list[tuple[int, int]] = []
    start: int | None = None
    space = False
    for char in marked:
        if char == OPEN:
            start = length
            continue
        if char == CLOSE:
            if start is not None and length > start:
                if spans and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], length)  # "a b" marked as one phrase
                else:
                    spans.append((start, length))
            start = None
            continue
        if char.isspace() or char == BREAK:
            space = bool(out)
            continue
        if space:
            out.append(" ")
            length += 1
            space = False
            if start is not None and start == length - 1:
                start = length
        out.append(char)
        length += 1
    return "".join(out), spans


_WORD = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """A word as the engines compare it: without accents, case folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def mark_prefix(snippet: str, spans: list[tuple[int, int]], prefix: str) -> list[tuple[int, int]]:
    """`spans` with every word of `snippet` that begins with `prefix` (the word
    being typed) marked too, in order, without overlaps."""
    if not prefix:
        return spans
    wanted = fold(prefix)
    found = [m.span() for m in _WORD.finditer(snippet) if fold(m.group()).startswith(wanted)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted({*spans, *found}):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
