"""Issue 18, item 5 (the Argon2 part): server parameters of OWASP's trade-off,
and hashes made with other parameters still verify and are upgraded at sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client as HttpClient

from huddle.accounts.hashers import ServerArgon2PasswordHasher
from huddle.accounts.models import User
from tests.conftest import PASSWORD, World

SERVER = "huddle.accounts.hashers.ServerArgon2PasswordHasher"


def test_the_server_parameters_are_owasps() -> None:
    encoded = ServerArgon2PasswordHasher().encode(PASSWORD, "somesaltvalue123")
    assert encoded.startswith("argon2$argon2id$v=19$m=7168,t=5,p=1$")


def test_an_older_hash_still_signs_in_and_is_upgraded(world: World, settings: Any) -> None:
    settings.PASSWORD_HASHERS = [SERVER]
    # A hash made with Django's defaults (100 MiB, 8 lanes), as stored before.
    old = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    assert "m=102400" in old
    User.objects.filter(pk=world.clinician.pk).update(password=old)

    response = HttpClient().post("/signin", {"email": world.clinician.email, "password": PASSWORD})

    assert response.status_code == 302
    stored = User.objects.get(pk=world.clinician.pk).password
    assert "$m=7168,t=5,p=1$" in stored
    assert (
        HttpClient()
        .post("/signin", {"email": world.clinician.email, "password": PASSWORD})
        .status_code
        == 302
    )
