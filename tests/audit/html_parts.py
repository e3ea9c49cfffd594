"""Reading a rendered page with the standard library's HTML parser: the table's
rows, and every start tag with its attributes."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]
    in_table_body: bool
    in_filters: bool
    text: str = ""


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[Tag] = []
        self._tbody = False
        self._filters = 0
        self._cell: list[str] | None = None
        self._open: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and "audit-filters" in values.get("class", ""):
            self._filters = 1
        elif self._filters and tag == "form":
            self._filters += 1
        found = Tag(tag, values, self._tbody, bool(self._filters))
        self.tags.append(found)
        if tag in ("a", "label", "option"):
            self._open.append(found)
        if tag == "tbody":
            self._tbody = True
        elif tag == "tr" and self._tbody:
            self.rows.append([])
        elif tag == "td" and self._tbody:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._tbody = False
        elif tag == "form" and self._filters:
            self._filters -= 1
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag in ("a", "label", "option"):
            for i in range(len(self._open) - 1, -1, -1):
                if self._open[i].name == tag:
                    self._open.pop(i)
                    break

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for tag in self._open:
            tag.text += data

    def find(self, name: str, **attrs: str) -> list[Tag]:
        return [
            t
            for t in self.tags
            if t.name == name and all(t.attrs.get(k) == v for k, v in attrs.items())
        ]


def parse(response: Any) -> Page:
    page = Page()
    page.feed(response.content.decode())
    page.close()
    return page
