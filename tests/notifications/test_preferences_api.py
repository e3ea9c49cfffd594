"""GET/PATCH /api/v1/me/notifications (API.md, F8)."""

from __future__ import annotations

from huddle.notifications.models import Preference
from tests.api.helpers import ApiAs, error_of, field_error
from tests.conftest import World


def test_staff_start_with_both_off(world: World, api_as: ApiAs) -> None:
    response = api_as(world.clinician).get("/me/notifications")

    assert response.status_code == 200
    assert response.json() == {"internal_messages": False, "client_messages": False}


def test_clients_start_with_client_messages_on(world: World, api_as: ApiAs) -> None:
    response = api_as(world.client.user).get("/me/notifications")

    assert response.json() == {"internal_messages": False, "client_messages": True}


def test_patch_stores_the_named_choices_and_keeps_the_others(world: World, api_as: ApiAs) -> None:
    api = api_as(world.biller)

    response = api.patch("/me/notifications", {"internal_messages": True})
    assert response.status_code == 200
    assert response.json() == {"internal_messages": True, "client_messages": False}
    response = api.patch("/me/notifications", {"client_messages": True})
    assert response.json() == {"internal_messages": True, "client_messages": True}

    stored = Preference.objects.get(user=world.biller)
    assert (stored.internal_messages, stored.client_messages) == (True, True)
    assert api.get("/me/notifications").json() == {
        "internal_messages": True,
        "client_messages": True,
    }
    # Someone else's stay as they were.
    assert not Preference.objects.filter(user=world.scheduler).exists()


def test_a_client_turns_their_emails_off(world: World, api_as: ApiAs) -> None:
    api = api_as(world.client.user)

    response = api.patch("/me/notifications", {"client_messages": False})

    assert response.json() == {"internal_messages": False, "client_messages": False}
    assert Preference.objects.get(user=world.client.user).client_messages is False


def test_a_client_cannot_ask_for_internal_messages(world: World, api_as: ApiAs) -> None:
    response = api_as(world.client.user).patch("/me/notifications", {"internal_messages": True})

    assert field_error(response, "internal_messages") == "Clients receive no internal messages."
    assert not Preference.objects.exists()


def test_signed_out_is_401(world: World, api_as: ApiAs) -> None:
    api = api_as(None)

    error_of(api.get("/me/notifications"), 401, "not_authenticated")
    error_of(api.patch("/me/notifications", {"internal_messages": True}), 401)
    assert not Preference.objects.exists()


def test_values_that_are_not_booleans_are_400(world: World, api_as: ApiAs) -> None:
    api = api_as(world.clinician)

    bodies: list[dict[str, object]] = [
        {"internal_messages": "yes"},
        {"internal_messages": 1},
        {"client_messages": "true"},
        {"client_messages": None, "internal_messages": []},
    ]
    for body in bodies:
        response = api.patch("/me/notifications", body)
        error = error_of(response, 400, "invalid")
        assert error["fields"], body
    field_error(api.patch("/me/notifications", {"internal_messages": "yes"}), "internal_messages")
    field_error(api.patch("/me/notifications", {"email_me": True}), "email_me")
    error_of(api.patch("/me/notifications", raw="{not json"), 400, "malformed_json")
    assert not Preference.objects.exists()


def test_an_empty_patch_changes_nothing(world: World, api_as: ApiAs) -> None:
    response = api_as(world.clinician).patch("/me/notifications", {})

    assert response.json() == {"internal_messages": False, "client_messages": False}


def test_the_openapi_document_lists_the_paths(world: World, api_as: ApiAs) -> None:
    schema = api_as(None).get("/openapi.json").json()

    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/me/notifications"])
