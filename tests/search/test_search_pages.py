"""The search box in every header, and the results pages (staff and portal)."""

from __future__ import annotations

import re
from typing import Any

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from tests.conftest import World
from tests.search.helpers import SECRET, make_corpus


def test_every_staff_and_portal_page_has_a_search_box_that_posts(
    world: World, page_as: Any
) -> None:
    for path in ("/messages/", "/notifications", "/settings/messaging"):
        html = page_as(world.admin).get(path).content.decode()
        assert '<form class="search-box" method="post" action="/search" role="search"' in html
    html = page_as(world.client.user).get("/portal/").content.decode()
    assert '<form class="search-box" method="post" action="/portal/search"' in html


def test_staff_results_link_to_the_message_with_marks_author_and_time(
    world: World, page_as: Any
) -> None:
    corpus = make_corpus(world)
    response = page_as(world.biller).post("/search", {"q": "rota"})
    assert response.status_code == 200
    html = response.content.decode()
    link = f'href="/messages/{corpus.staff_thread.pk}#entry-{corpus.staff_message.pk}"'
    assert link in html
    assert "The <mark>rota</mark> link" in html
    assert "Message · Cleo Clinician" in html
    assert '<span class="result-subject">Claim 2231</span>' in html
    assert 'value="rota"' in html  # the text stays in the form, never in a URL
    assert AuditEvent.objects.filter(action=Action.SEARCHED, actor=world.biller).count() == 1


def test_the_thread_page_anchors_every_entry(world: World, page_as: Any) -> None:
    corpus = make_corpus(world)
    html = page_as(world.biller).get(f"/messages/{corpus.staff_thread.pk}").content.decode()
    assert f'id="entry-{corpus.staff_message.pk}"' in html


def test_portal_results_for_the_client_open_portal_threads(world: World, page_as: Any) -> None:
    corpus = make_corpus(world)
    html = page_as(world.client.user).post("/portal/search", {"q": SECRET}).content.decode()
    assert f'href="/portal/{corpus.client_thread.pk}#entry-{corpus.client_message.pk}"' in html
    assert f"<mark>{SECRET}</mark>" in html
    assert "Message · You" in html
    assert html.count('class="result"') == 1


def test_outsiders_find_nothing_of_the_practice(world: World, page_as: Any) -> None:
    make_corpus(world)
    for user in (world.co_clinician, world.scheduler, world.outsider_admin):
        html = page_as(user).post("/search", {"q": "rota"}).content.decode()
        assert "Nothing found" in html and "<mark>" not in html
    html = page_as(world.outsider_client.user).post("/portal/search", {"q": "rota"}).content
    assert b"Nothing found" in html


def test_each_side_has_its_own_page(world: World, page_as: Any) -> None:
    assert page_as(world.client.user).post("/search", {"q": "rota"}).status_code == 404
    assert page_as(world.biller).post("/portal/search", {"q": "rota"}).status_code == 404
    signed_out = page_as(world.biller)
    signed_out.logout()
    response = signed_out.post("/search", {"q": "rota"})
    assert response.status_code == 302 and "rota" not in response["Location"]


def test_an_empty_or_long_query_shows_its_error_on_the_form(world: World, page_as: Any) -> None:
    page = page_as(world.biller)
    response = page.post("/search", {"q": "  "})
    assert response.status_code == 400
    assert "Enter a word to search for." in response.content.decode()
    response = page.post("/search", {"q": "x" * 300})
    assert response.status_code == 400
    assert "Use at most 200 characters." in response.content.decode()
    assert page.get("/search").status_code == 200


def test_more_results_posts_the_text_and_the_cursor(world: World, page_as: Any) -> None:
    for i in range(23):
        actions.start_thread(
            sender=world.clinician, user_ids=[world.biller.pk], subject=f"S {i}", body="walrus"
        )
    page = page_as(world.biller)
    html = page.post("/search", {"q": "walrus"}).content.decode()
    assert html.count('class="result"') == 20
    cursor = re.search(r'name="cursor" value="([^"]+)"', html)
    assert cursor is not None
    more = page.post("/search", {"q": "walrus", "cursor": cursor.group(1)}).content.decode()
    assert more.count('class="result"') == 3
    assert 'name="cursor"' not in more
