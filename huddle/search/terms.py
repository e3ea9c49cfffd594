"""What a person typed into the search box, read as words, phrases and exclusions.

The text is never handed to an engine's own query syntax: it is read here into
words (runs of letters and digits), and each engine's query is written from those
words, each one quoted (`engines.py`). So `NEAR`, `OR`, `*`, `:`, `(`, `^` and
stray quotes are searched as the words around them, never run as operators:

- `"two words"` is a phrase; a quote left open runs to the end of the text;
- `-word` or `-"two words"` leaves out messages holding it;
- a token of several words (`e-mail`, `10:30`) is a phrase of those words;
- the last word, while it is still being typed (no space after it), also
  matches as the beginning of a word: `rot` finds "rota".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from huddle.core.errors import InvalidInput

Q_MAX = 200
_WORD = re.compile(r"[^\W_]+")
EMPTY = "Enter a word to search for."
TOO_LONG = f"Use at most {Q_MAX} characters."
NO_WORDS = "Search for at least one word of letters or digits."


@dataclass(frozen=True)
class Terms:
    """`include`: phrases that must all be there (a phrase of one word is a word);
    `exclude`: phrases that must not; `prefix`: the word being typed, or ""."""

    include: list[tuple[str, ...]] = field(default_factory=list)
    exclude: list[tuple[str, ...]] = field(default_factory=list)
    prefix: str = ""


def check_text(q: str) -> str:
    q = q.replace("\x00", " ").strip()
    if not q:
        raise InvalidInput.field("q", EMPTY)
    if len(q) > Q_MAX:
        raise InvalidInput.field("q", TOO_LONG)
    return q


def _tokens(q: str) -> list[tuple[bool, bool, str]]:
    """(excluded, quoted, text) for each token of `q`."""
    tokens: list[tuple[bool, bool, str]] = []
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        excluded = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        if excluded:
            i += 1
        if q[i] == '"':
            end = q.find('"', i + 1)
            end = n if end == -1 else end
            tokens.append((excluded, True, q[i + 1 : end]))
            i = end + 1
            continue
        start = i
        while i < n and not q[i].isspace() and q[i] != '"':
            i += 1
        tokens.append((excluded, False, q[start:i]))
    return tokens


def parse(q: str) -> Terms:
    """The terms of the search text `q` (1 to 200 characters once trimmed), or
    InvalidInput naming the field `q`."""
    raw = q.replace("\x00", " ")
    q = check_text(raw)
    terms = Terms()
    tokens = _tokens(q)
    for excluded, _, text in tokens:
        words = tuple(w.casefold() for w in _WORD.findall(text))
        if words:
            (terms.exclude if excluded else terms.include).append(words)
    last = tokens[-1] if tokens else None
    typing = not raw.rstrip("\x00")[-1:].isspace()
    if (
        typing
        and last is not None
        and not last[0]
        and not last[1]
        and terms.include
        and len(terms.include[-1]) == 1
        and len(terms.include[-1][0]) >= 2
        and _WORD.fullmatch(last[2])
    ):
        prefix = terms.include.pop()[0]
        terms = Terms(include=terms.include, exclude=terms.exclude, prefix=prefix)
    if not terms.include and not terms.prefix:
        raise InvalidInput.field("q", NO_WORDS)
    return terms
