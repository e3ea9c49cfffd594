"""Bodies are plain text (F4): line breaks and safe links, never raw HTML."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from huddle.messaging.templatetags.messaging import render_plain_text


def link(url: str) -> str:
    return f'<a href="{url}" rel="noopener noreferrer" target="_blank">{url}</a>'


def test_line_breaks_become_br() -> None:
    assert render_plain_text("one\ntwo\n\nthree") == "one<br>\ntwo<br>\n<br>\nthree"


@pytest.mark.parametrize(
    "url", ["http://example.com", "https://example.com/a/b?c=d#e", "HTTPS://EXAMPLE.COM/x"]
)
def test_web_addresses_become_links_that_cannot_reach_back(url: str) -> None:
    assert render_plain_text(f"see {url} now") == f"see {link(url)} now"


def test_an_ampersand_in_a_link_is_escaped_in_both_places() -> None:
    shown = "https://example.com/?a=1&amp;b=2"
    assert render_plain_text("https://example.com/?a=1&b=2") == link(shown)


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.com/file",
        "www.example.com",
    ],
)
def test_other_schemes_stay_text(text: str) -> None:
    rendered = render_plain_text(text)

    assert "<a" not in rendered
    assert rendered == text


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<a href="javascript:x">hi</a>', "&lt;a href=&quot;javascript:x&quot;&gt;hi&lt;/a&gt;"),
        ("<b>bold</b> & 'quoted'", "&lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quoted&#x27;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ],
)
def test_html_is_shown_as_text(text: str, rendered: str) -> None:
    assert render_plain_text(text) == rendered


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        (
            'https://example.com/"onmouseover="alert(1)',
            link("https://example.com/") + "&quot;onmouseover=&quot;alert(1)",
        ),
        (
            "https://example.com/'><script>x</script>",
            link("https://example.com/") + "&#x27;&gt;&lt;script&gt;x&lt;/script&gt;",
        ),
        ("https://example.com/<b>", link("https://example.com/") + "&lt;b&gt;"),
    ],
)
def test_quotes_and_brackets_cannot_break_out_of_the_link(text: str, rendered: str) -> None:
    assert render_plain_text(text) == rendered


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("Go to https://example.com.", f"Go to {link('https://example.com')}."),
        ("(https://example.com/a)", f"({link('https://example.com/a')})"),
        ("https://example.com/a, then", f"{link('https://example.com/a')}, then"),
        ("Really https://example.com/?!", f"Really {link('https://example.com/')}?!"),
        ('"https://example.com/q"', f"&quot;{link('https://example.com/q')}&quot;"),
        ("https://example.com/a.html", link("https://example.com/a.html")),
    ],
)
def test_trailing_punctuation_stays_outside_the_link(text: str, rendered: str) -> None:
    assert render_plain_text(text) == rendered


def test_links_and_line_breaks_mix() -> None:
    text = "Hi <team>,\nhttps://a.example/x\nand http://b.example."

    assert render_plain_text(text) == (
        f"Hi &lt;team&gt;,<br>\n{link('https://a.example/x')}<br>\nand {link('http://b.example')}."
    )


def test_the_template_filter_is_safe_output_of_the_same() -> None:
    template = Template("{% load messaging %}{{ body|plain_text }}")

    shown = template.render(Context({"body": "<i>x</i>\nhttps://example.com"}))

    assert shown == render_plain_text("<i>x</i>\nhttps://example.com")
    assert "&lt;i&gt;" in shown
