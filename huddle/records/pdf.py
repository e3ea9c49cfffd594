"""A thread as a PDF for the client's chart (fpdf2, pure Python).

With a Unicode TrueType font (`RECORDS_PDF_FONT`, DejaVu Sans where Debian's
fonts-dejavu-core is installed) every character is shown; without one the PDF
uses the built-in Helvetica, shows "?" for what it cannot draw and says so at its
end: the JSON export always holds the exact text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

MARGIN = 18
FONT = "body"


class _Document(FPDF):
    def __init__(self, generated_at: str, *, unicode: bool) -> None:
        super().__init__(format="A4")
        self.generated_at = generated_at
        self.font_name = "helvetica"
        self.exact = True
        self.char_widths: dict[tuple[str, float], dict[str, float]] = {}
        font = Path(settings.RECORDS_PDF_FONT)
        if unicode and font.is_file():
            self.add_font(FONT, "", str(font))
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            self.add_font(FONT, "B", str(bold if bold.is_file() else font))
            self.font_name = FONT
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.alias_nb_pages()

    def text_of(self, value: str) -> str:
        if self.font_name == FONT:
            return value
        safe = value.encode("latin-1", "replace").decode("latin-1")
        if safe != value:
            self.exact = False
        return safe

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_name, "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"Generated {self.generated_at}", align="L")
        self.set_x(MARGIN)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def line_of(self, text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        """`text` wrapped to the page's width, one cell per line. The wrapping is done
        here, a word at a time: fpdf2's multi_cell measures every character again
        for every line, which made a 200-message thread take seconds."""
        self.set_font(self.font_name, style, size)
        height = size * 0.5
        for line in self.wrapped(self.text_of(text)):
            self.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def width_of(self, text: str) -> float:
        """The width of `text` from each character's width, measured once per font."""
        key = (self.font_style, self.font_size_pt)
        widths = self.char_widths.setdefault(key, {})
        total = 0.0
        for char in text:
            width = widths.get(char)
            if width is None:
                width = widths[char] = self.get_string_width(char)
            total += width
        return total

    def wrapped(self, text: str) -> list[str]:
        room = self.epw - 0.5  # what the cells' own padding takes
        space = self.width_of(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                width = self.width_of(word)
                if line and used + space + width <= room:
                    line, used = f"{line} {word}", used + space + width
                    continue
                if line or not word:
                    lines.append(line)
                while width > room:  # a word longer than the line: cut it
                    cut = max(1, int(len(word) * room / width))
                    lines.append(word[:cut])
                    word = word[cut:]
                    width = self.width_of(word)
                line, used = word, width
            lines.append(line)
        return lines


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _time(iso: str) -> str:
    return iso.replace("T", " ")[:16] + " UTC"


def thread_pdf(practice_name: str, document: dict[str, Any]) -> bytes:
    """The PDF of `documents.thread_document`'s answer."""
    generated = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
    # Helvetica (built in, fast) when every character is Latin-1; else the TrueType font.
    unicode = not _latin1(practice_name + json.dumps(document, ensure_ascii=False))
    pdf = _Document(generated, unicode=unicode)
    pdf.add_page()
    head = document["thread"]
    pdf.set_text_color(0, 0, 0)
    pdf.line_of(practice_name, 9, gap=1)
    pdf.line_of(head["subject"], 16, "B", gap=2)
    names = ", ".join(p["name"] for p in document["participants"])
    pdf.line_of(f"Participants: {names}", 9)
    pdf.line_of(f"Thread #{head['id']} · started {_time(head['created_at'])}", 9, gap=4)
    items = list(document["timeline"]) + list(document.get("emergency_access", []))
    items.sort(key=lambda i: (i["at"], i.get("id", 0)))
    for item in items:
        if item["type"] == "message":
            pdf.set_text_color(60, 60, 60)
            pdf.line_of(f"{item['author']['name']} · {_time(item['at'])}", 9, "B", gap=0.5)
            pdf.set_text_color(0, 0, 0)
            pdf.line_of(item["body"], 10, gap=1)
            for file in item.get("attachments", []):
                pdf.line_of(f"Attachment: {file['name']} ({file['size']:,} bytes)", 9)
            pdf.ln(2)
        elif item["type"] == "header_changed":
            pdf.set_text_color(90, 90, 90)
            text = (
                f"{item['by']['name']} changed the thread header from '{item['from']}' "
                f"to '{item['to']}' on {_time(item['at'])}."
            )
            pdf.line_of(text, 9, gap=3)
        else:
            pdf.set_text_color(140, 40, 20)
            text = (
                f"{item['by']['name']} opened this thread (emergency access): "
                f"{item['reason']} - {_time(item['at'])}"
            )
            pdf.line_of(text, 9, gap=3)
    if not pdf.exact:
        pdf.set_text_color(140, 40, 20)
        pdf.line_of(
            "Some characters could not be drawn in this PDF and show as '?'; "
            "the thread's JSON export holds the exact text.",
            8,
        )
    return bytes(pdf.output())
