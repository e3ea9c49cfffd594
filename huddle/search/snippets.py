"""A snippet as the API gives it: plain text with the matched words' places.

The engines cut snippets with \\x01 before and \\x02 after each matched word (a
document never holds either: search.index); this reads them out into
`[start, end)` offsets in code points, and folds runs of white space into one
space so a snippet reads as one line.
"""

from __future__ import annotations

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
