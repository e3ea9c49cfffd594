"""Issue 19, finding 8: the auto-linker links only what a person can read
truthfully; and 10: a subject of only invisible characters is refused."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.core.errors import InvalidInput
from huddle.core.text import safe_link
from huddle.messaging.checks import check_subject
from huddle.messaging.templatetags.messaging import render_plain_text
from tests.conftest import Api, World


def test_a_plain_address_is_linked_as_it_is() -> None:
    html = render_plain_text("See https://riverside.example/forms?a=1.")
    assert '<a href="https://riverside.example/forms?a=1" rel="noopener noreferrer"' in html
    assert "</a>." in html


def test_a_host_with_a_cyrillic_letter_shows_and_opens_as_punycode() -> None:
    """Before: "https://r\u0456verside.example" (a Cyrillic i) was linked as if real."""
    html = render_plain_text("https://r\u0456verside.example/login")
    link = safe_link("https://r\u0456verside.example/login")
    assert link is not None
    assert link.host.startswith("xn--") and link.host.endswith(".example")
    assert f'href="https://{link.host}/login"' in html
    assert f">https://{link.host}/login</a>" in html
    assert "\u0456" not in html.split("<a", 1)[1].split("</a>", 1)[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://river\u200bside.example/pay",  # zero-width space in the host
        "https://riverside.example/\u202eexe.txt",  # right-to-left override in the path
        "https://riverside\u2066.example/",  # bidi isolate
        "https://riverside.example/pa\ufeffy",  # zero-width no-break space
    ],
)
def test_invisible_characters_never_reach_a_link(url: str) -> None:
    html = render_plain_text(url)
    anchor = html.split("<a", 1)[1].split("</a>", 1)[0]
    for ch in "\u200b\u202e\u2066\ufeff":
        assert ch not in anchor


@pytest.mark.parametrize(
    "url",
    [
        "https://riverside.example@evil.example/",  # userinfo: opens evil.example
        "https://user:pw@riverside.example/",
        "https:///nohost",
    ],
)
def test_addresses_that_would_mislead_are_not_linked(url: str) -> None:
    html = render_plain_text(f"Go to {url} now")
    assert "<a " not in html
    assert "evil.example" not in html or "href" not in html


def test_a_clients_message_shows_the_real_host_beside_each_link(world: World, page_as: Any) -> None:
    client = Api(world.client.user)
    created = client.post(
        "/threads",
        {
            "audience": "clinical",
            "subject": "Forms",
            "body": "https://riverside.example.evil.example/x",
        },
    )
    assert created.status_code == 201
    page = page_as(world.clinician).get(f"/messages/{created.json()['id']}")
    body = page.content.decode()
    assert '<span class="link-host">(riverside.example.evil.example)</span>' in body
    assert 'href="https://riverside.example.evil.example/x"' in body


@pytest.mark.parametrize("subject", ["\u200b\u200b", "\u200b \u200d\ufeff", "\u202e"])
def test_a_subject_of_only_invisible_characters_is_refused(subject: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_subject(subject)
    assert "subject" in raised.value.fields
