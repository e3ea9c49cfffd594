"""The address recorded is REMOTE_ADDR; X-Forwarded-For counts only when the
operator says the proxy in front sets it."""

from __future__ import annotations

from django.test import override_settings

from tests.audit.helpers import mark, page_from_ip, since
from tests.conftest import PASSWORD, World

SIGN_IN = {"email": "cleo@maple.example", "password": PASSWORD}


def test_x_forwarded_for_is_ignored_by_default(world: World) -> None:
    http = page_from_ip(None, "198.51.100.20")
    position = mark()

    http.post("/signin", SIGN_IN, headers={"X-Forwarded-For": "192.0.2.99"})

    assert [r.ip for r in since(position)] == ["198.51.100.20"]


@override_settings(AUDIT_TRUST_X_FORWARDED_FOR=True)
def test_with_the_setting_the_address_the_proxy_appended_is_recorded(world: World) -> None:
    http = page_from_ip(None, "10.0.0.2")
    position = mark()

    # The client forged the first address; the proxy appended the real one.
    http.post("/signin", SIGN_IN, headers={"X-Forwarded-For": "192.0.2.99, 198.51.100.30"})

    assert [r.ip for r in since(position)] == ["198.51.100.30"]


@override_settings(AUDIT_TRUST_X_FORWARDED_FOR=True)
def test_a_malformed_forwarded_address_falls_back_to_the_peer(world: World) -> None:
    http = page_from_ip(None, "10.0.0.2")
    position = mark()

    http.post("/signin", SIGN_IN, headers={"X-Forwarded-For": "not-an-address"})

    assert [r.ip for r in since(position)] == ["10.0.0.2"]


def test_actions_outside_a_request_record_no_address(world: World) -> None:
    # The personas were built by calling actions directly, as a command would.
    assert {r.ip for r in since(0)} == {None}
