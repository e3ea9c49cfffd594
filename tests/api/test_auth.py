"""Signing in to the API: tokens, their end, and who the caller is (API.md, Sign-in)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone

from huddle.accounts import links
from huddle.accounts.actions import update_staff
from huddle.accounts.models import ApiToken, LinkPurpose, hash_token
from huddle.clients.actions import update_client
from tests.api.helpers import ApiAs, error_of
from tests.conftest import PASSWORD, Api, World


def sign_in(email: str, password: str) -> Any:
    return Api(None).post("/auth/token", {"email": email, "password": password})


def bearer(raw: str) -> Api:
    api = Api(None)
    api.headers["Authorization"] = f"Bearer {raw}"
    return api


def test_signing_in_answers_201_with_a_token_its_expiry_and_the_user(world: World) -> None:
    before = timezone.now()
    response = sign_in("ada@maple.example", PASSWORD)

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at", "user"}
    assert body["user"]["id"] == str(world.admin.pk)
    assert body["user"]["email"] == "ada@maple.example"
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert expires_at.utcoffset() is not None
    lifetime = timedelta(hours=settings.API_TOKEN_HOURS)
    assert before + lifetime <= expires_at <= timezone.now() + lifetime
    stored = ApiToken.objects.get(user=world.admin)
    assert stored.token_hash == hash_token(body["token"])
    assert body["token"] not in stored.token_hash
    assert bearer(body["token"]).get("/me").status_code == 200


def test_wrong_password_and_unknown_email_get_the_identical_401(world: World) -> None:
    wrong_password = sign_in("ada@maple.example", "not the password at all")
    unknown_email = sign_in("nobody@maple.example", PASSWORD)

    error_of(wrong_password, 401, "bad_credentials")
    error_of(unknown_email, 401, "bad_credentials")
    assert wrong_password.content == unknown_email.content
    assert not ApiToken.objects.exists()


def test_sign_in_matches_the_email_case_insensitively(world: World) -> None:
    response = sign_in("  ADA@Maple.EXAMPLE ", PASSWORD)

    assert response.status_code == 201
    assert response.json()["user"]["id"] == str(world.admin.pk)
    assert ApiToken.objects.filter(user=world.admin).count() == 1


def test_a_deactivated_staff_member_cannot_sign_in(world: World) -> None:
    update_staff(actor=world.admin, staff=world.biller, is_active=False)
    unknown = sign_in("nobody@maple.example", PASSWORD)

    response = sign_in("bill@maple.example", PASSWORD)

    error_of(response, 401, "bad_credentials")
    assert response.content == unknown.content
    assert not ApiToken.objects.filter(user=world.biller).exists()


def test_a_client_without_portal_access_cannot_sign_in(world: World) -> None:
    update_client(actor=world.admin, client=world.client, portal_enabled=False)

    response = sign_in("casey@client.example", PASSWORD)

    error_of(response, 401, "bad_credentials")
    assert not ApiToken.objects.filter(user=world.client.user).exists()


def test_a_client_with_portal_access_signs_in_as_a_client(world: World) -> None:
    response = sign_in("casey@client.example", PASSWORD)

    assert response.status_code == 201
    assert response.json()["user"]["kind"] == "client"
    assert ApiToken.objects.filter(user=world.client.user).count() == 1


def test_deleting_the_token_revokes_it_and_only_it(world: World) -> None:
    first = sign_in("ada@maple.example", PASSWORD).json()["token"]
    second = sign_in("ada@maple.example", PASSWORD).json()["token"]

    response = bearer(first).delete("/auth/token")

    assert response.status_code == 204
    assert response.content == b""
    assert not ApiToken.objects.filter(token_hash=hash_token(first)).exists()
    assert ApiToken.objects.filter(token_hash=hash_token(second)).exists()
    error_of(bearer(first).get("/me"), 401, "not_authenticated")
    assert bearer(second).get("/me").status_code == 200


def test_me_describes_a_staff_member(world: World, api_as: ApiAs) -> None:
    response = api_as(world.clinician).get("/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(world.clinician.pk),
        "name": "Cleo Clinician",
        "email": "cleo@maple.example",
        "kind": "staff",
        "roles": ["clinician"],
        "practice": {"id": str(world.practice.pk), "name": "Maple Counseling"},
        "unread": {"practice": 0, "clients": 0},
    }


def test_me_describes_a_client_with_no_roles(world: World, api_as: ApiAs) -> None:
    response = api_as(world.client.user).get("/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(world.client.pk),
        "name": "Casey Client",
        "email": "casey@client.example",
        "kind": "client",
        "roles": [],
        "practice": {"id": str(world.practice.pk), "name": "Maple Counseling"},
        "unread": {"practice": 0, "clients": 0},
    }


def test_me_lists_every_role_of_a_staff_member(world: World, api_as: ApiAs) -> None:
    update_staff(actor=world.admin, staff=world.admin, roles=["practice_admin", "supervisor"])

    response = api_as(world.admin).get("/me")

    assert response.json()["roles"] == ["practice_admin", "supervisor"]


def test_no_token_is_401_with_the_error_shape(world: World, api_as: ApiAs) -> None:
    response = api_as(None).get("/me")

    error = error_of(response, 401, "not_authenticated")
    assert set(error) == {"code", "message"}


def test_a_garbage_or_malformed_authorization_header_is_401(world: World) -> None:
    for header in ["Bearer garbage", "Bearer ", "Bearer", "Basic YWRhOnB3", "Token abc", "x" * 300]:
        api = Api(None)
        api.headers["Authorization"] = header
        error_of(api.get("/me"), 401, "not_authenticated")
        error_of(api.get("/staff"), 401, "not_authenticated")
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_401(world: World) -> None:
    raw = sign_in("ada@maple.example", PASSWORD).json()["token"]
    ApiToken.objects.filter(token_hash=hash_token(raw)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    error_of(bearer(raw).get("/me"), 401, "not_authenticated")
    error_of(bearer(raw).get("/practice/settings"), 401, "not_authenticated")


def test_deleting_a_token_without_one_is_refused(world: World, api_as: ApiAs) -> None:
    error_of(api_as(None).delete("/auth/token"), 401, "not_authenticated")
    http = HttpClient()
    http.force_login(world.admin)
    # Signed in by session, there is no token to revoke: nothing is deleted.
    tokens = ApiToken.objects.count()
    error_of(http.delete("/api/v1/auth/token"), 400)
    assert ApiToken.objects.count() == tokens


def test_deactivating_staff_ends_their_token_at_once(world: World, api_as: ApiAs) -> None:
    biller = api_as(world.biller)
    assert biller.get("/me").status_code == 200

    response = api_as(world.admin).patch(f"/staff/{world.biller.pk}", {"is_active": False})

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    world.biller.refresh_from_db()
    assert world.biller.is_active is False
    assert not ApiToken.objects.filter(user=world.biller).exists()
    error_of(biller.get("/me"), 401, "not_authenticated")


def test_deactivating_staff_ends_their_browser_session(world: World, api_as: ApiAs) -> None:
    session = HttpClient()
    session.force_login(world.biller)
    assert session.get("/api/v1/me").status_code == 200

    response = api_as(world.admin).patch(f"/staff/{world.biller.pk}", {"is_active": False})

    assert response.status_code == 200
    error_of(session.get("/api/v1/me"), 401, "not_authenticated")


def test_a_reactivated_staff_member_can_sign_in_again(world: World, api_as: ApiAs) -> None:
    admin = api_as(world.admin)
    admin.patch(f"/staff/{world.biller.pk}", {"is_active": False})
    error_of(sign_in("bill@maple.example", PASSWORD), 401)

    response = admin.patch(f"/staff/{world.biller.pk}", {"is_active": True})

    assert response.status_code == 200
    assert response.json()["is_active"] is True
    world.biller.refresh_from_db()
    assert world.biller.is_active is True
    signed_in = sign_in("bill@maple.example", PASSWORD)
    assert signed_in.status_code == 201
    assert ApiToken.objects.filter(user=world.biller).count() == 1


def test_a_password_change_ends_the_users_tokens_and_sessions(world: World, api_as: ApiAs) -> None:
    biller = api_as(world.biller)
    session = HttpClient()
    session.force_login(world.biller)
    new_password = "a brand new passphrase for bill"
    raw = links.issue(user=world.biller, purpose=LinkPurpose.RESET, send=False)
    assert raw is not None

    links.use(token=raw, password=new_password)  # the person's own reset link

    assert not ApiToken.objects.filter(user=world.biller).exists()
    error_of(biller.get("/me"), 401, "not_authenticated")
    error_of(session.get("/api/v1/me"), 401, "not_authenticated")
    error_of(sign_in("bill@maple.example", PASSWORD), 401)
    assert sign_in("bill@maple.example", new_password).status_code == 201


def test_switching_portal_access_off_ends_the_clients_token(world: World, api_as: ApiAs) -> None:
    client = api_as(world.client.user)
    assert client.get("/me").status_code == 200

    response = api_as(world.admin).patch(f"/clients/{world.client.pk}", {"portal_enabled": False})

    assert response.status_code == 200
    assert response.json()["portal_enabled"] is False
    world.client.user.refresh_from_db()
    assert world.client.user.is_active is False
    error_of(client.get("/me"), 401, "not_authenticated")
