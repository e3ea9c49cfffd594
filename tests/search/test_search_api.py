"""POST /api/v1/search: a new user finds a message by a word in it."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.search.models import Document
from tests.conftest import World
from tests.search.helpers import SECRET, found, make_corpus, marked, search, thread_ids


def test_a_word_of_a_message_finds_it_with_its_thread_author_time_and_marks(
    world: World, api_as: Any
) -> None:
    corpus = make_corpus(world)
    [item] = found(api_as(world.biller), "rota")
    assert item["thread"] == {
        "id": str(corpus.staff_thread.pk),
        "subject": "Claim 2231",
        "view": "practice",
    }
    assert item["entry_id"] == str(corpus.staff_message.pk)
    assert item["kind"] == "message"
    assert item["author"] == {"id": str(world.clinician.pk), "name": "Cleo Clinician"}
    assert item["sent_at"].startswith(corpus.staff_message.created_at.strftime("%Y-%m-%dT%H:%M"))
    assert "The rota link" in item["snippet"]
    assert marked(item) == ["rota"]


def test_the_subject_it_was_sent_with_and_each_new_one_are_found(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    participation = get_participation(world.clinician, corpus.staff_thread.pk)
    change = actions.edit_header(
        editor=world.clinician, participation=participation, subject="Claim 2231 resolved"
    )
    first = found(api_as(world.biller), "2231", view="practice")
    kinds = {(i["kind"], i["entry_id"], i["snippet"]) for i in first}
    assert kinds == {
        ("subject", str(corpus.staff_message.pk), "Claim 2231"),
        ("subject", str(change.pk), "Claim 2231 resolved"),
    }
    # Every result names the thread by its subject now.
    assert {i["thread"]["subject"] for i in first} == {"Claim 2231 resolved"}


def test_a_reply_is_findable_the_moment_it_is_sent(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    biller = api_as(world.biller)
    assert found(biller, "hydrangea") == []
    reply = biller.post(
        f"/threads/{corpus.staff_thread.pk}/messages", {"body": "The hydrangea form is filed."}
    )
    assert reply.status_code == 201
    [item] = found(api_as(world.clinician), "hydrangea")
    assert item["entry_id"] == reply.json()["id"]
    assert item["author"]["name"] == "Bill Biller"


def test_a_send_that_rolls_back_leaves_nothing_to_find(world: World) -> None:
    from django.db import transaction

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        actions.start_thread(
            sender=world.clinician, user_ids=[world.biller.pk], subject="Gone", body="quokka"
        )
        assert Document.objects.filter(text__contains="quokka").count() == 1
        raise Undo
    assert not Document.objects.filter(text__contains="quokka").exists()


def test_words_match_whatever_their_case_accents_and_endings(world: World, api_as: Any) -> None:
    actions.start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk],
        subject="Lunch",
        body="Meet at the Café Zoë; the invoices were BILLED on Monday.",
    )
    biller = api_as(world.biller)
    assert marked(found(biller, "cafe zoe")[0]) == ["Café", "Zoë"]
    assert marked(found(biller, "billing")[0]) == ["BILLED"]
    assert len(found(biller, "INVOICE")) == 1


def test_phrases_exclusions_and_the_word_being_typed(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    actions.start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk],
        subject="Rota",
        body="The link twice is not here.",
    )
    biller = api_as(world.biller)
    staff = corpus.staff_thread.pk
    assert thread_ids(found(biller, '"rota link"')) == {staff}
    assert {i["entry_id"] for i in found(biller, "link -rota")} == {
        i["entry_id"] for i in found(biller, "link") if "rota" not in i["snippet"].lower()
    }
    assert len(found(biller, "link -rota")) == 1
    # "rot" while typing finds "rota"; followed by a space it is a whole word.
    assert staff in thread_ids(found(biller, "claim rot"))
    assert found(biller, "claim rot ") == []


@pytest.mark.parametrize(
    "q",
    [
        '"rota',
        'rota"',
        "rota*",
        "NEAR(rota link)",
        "rota NEAR link",
        "subject:rota",
        "rota OR nothing",
        "rota AND",
        "(rota",
        "^rota",
        "rota' --",
        "rota; DROP TABLE search_document",
        "- rota",
        "\\rota",
        "rota\u200b",
        "\u00bd",
        "\u2460 rota",
        "x\u00b2",
        "\u0663\u0664",
        "\U0001d7d8",
        "\ufb01le",
        "\u01c5ungla",
        "\u0301rota",
        "rota \U0001f600",
    ],
)
def test_operators_typed_by_a_person_are_searched_as_words(
    world: World, api_as: Any, q: str
) -> None:
    corpus = make_corpus(world)
    response = search(api_as(world.biller), q)
    assert response.status_code == 200, response.content
    assert thread_ids(response.json()["items"]) <= {corpus.staff_thread.pk}


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Enter a word to search for."),
        ("   ", "Enter a word to search for."),
        ("x" * 201, "Use at most 200 characters."),
        ('"*"', "Search for at least one word of letters or digits."),
        ("-rota", "Search for at least one word of letters or digits."),
        ("-", "Search for at least one word of letters or digits."),
        (": * ( )", "Search for at least one word of letters or digits."),
    ],
)
def test_a_query_with_nothing_to_search_for_is_a_clear_400(
    world: World, api_as: Any, q: str, message: str
) -> None:
    make_corpus(world)
    response = search(api_as(world.biller), q)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"q": message}
    assert not AuditEvent.objects.filter(action=Action.SEARCHED).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"q": 5},
        {"q": "rota", "limit": 0},
        {"q": "rota", "limit": 201},
        {"q": "rota", "view": "everything"},
        {"q": "rota", "folder": "trash"},
        {"q": "rota", "cursor": "not-a-cursor"},
        {"q": "rota", "client_id": "abc"},
        {"q": "rota", "participant_id": -1},
        {"q": "rota", "since": "yesterday"},
        {"q": "rota", "until": "0001-01-01T00:00:00+14:00"},
        {"q": "rota", "until": 0},
        {"q": "rota", "since": 1764752400},
        {"q": "rota", "surprise": True},
        {"q": "rota\u0000"},
    ],
)
def test_bad_fields_are_400_naming_the_field(world: World, api_as: Any, body: Any) -> None:
    make_corpus(world)
    response = api_as(world.biller).post("/search", body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]


def test_paging_walks_every_result_once_best_first(world: World, api_as: Any) -> None:
    for i in range(25):
        actions.start_thread(
            sender=world.clinician,
            user_ids=[world.biller.pk],
            subject=f"Note {i}",
            body="pelican " * (1 + i % 3) + f"number {i}",
        )
    biller = api_as(world.biller)
    first = search(biller, "pelican").json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    second = search(biller, "pelican", cursor=first["next_cursor"]).json()
    assert len(second["items"]) == 5 and second["next_cursor"] is None
    ids = [i["entry_id"] for i in first["items"] + second["items"]]
    assert len(set(ids)) == 25
    # Relevance first: messages saying "pelican" three times come before those saying it once.
    counts = [i["snippet"].count("pelican") for i in first["items"] + second["items"]]
    assert counts == sorted(counts, reverse=True)


def test_a_search_is_audited_with_its_count_never_its_text(world: World, api_as: Any) -> None:
    make_corpus(world)
    found(api_as(world.biller), "rota")
    event = AuditEvent.objects.get(action=Action.SEARCHED)
    assert (event.actor_id, event.practice_id, event.detail) == (
        world.biller.pk,
        world.practice.pk,
        "1 results",
    )
    assert "rota" not in str(AuditEvent.objects.values_list().get(pk=event.pk))


def test_signed_out_is_401_and_messaging_off_is_403(world: World, api_as: Any) -> None:
    from huddle.administration.actions import update_messaging_settings

    assert search(api_as(None), "rota").status_code == 401
    update_messaging_settings(
        actor=world.admin, secure_messaging_enabled=False, practice_messaging_enabled=False
    )
    assert search(api_as(world.biller), "rota").status_code == 403


def test_practice_messaging_off_hides_practice_threads_from_search(
    world: World, api_as: Any
) -> None:
    from huddle.administration.actions import update_messaging_settings

    make_corpus(world)
    clinician = api_as(world.clinician)
    assert found(clinician, "rota") and found(clinician, SECRET)
    update_messaging_settings(
        actor=world.admin, secure_messaging_enabled=True, practice_messaging_enabled=False
    )
    assert found(clinician, "rota") == []
    assert len(found(clinician, SECRET)) == 1
    assert search(clinician, "rota", view="practice").status_code == 403


def test_the_word_being_typed_is_marked_where_it_matched(world: World, api_as: Any) -> None:
    actions.start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk],
        subject="Rooms",
        body="The Kaléidoscope room is upstairs; kaleidoscopes are in the cupboard.",
    )
    [item] = found(api_as(world.biller), "kaleido")
    assert marked(item) == ["Kaléidoscope", "kaleidoscopes"]
    [item] = found(api_as(world.biller), "room kaleido")
    assert marked(item) == ["Kaléidoscope", "room", "kaleidoscopes"]
