"""Operator commands: onboarding a practice and the demo practice."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import CommandError, call_command

from huddle.accounts.models import Role, User
from huddle.clients.models import Client
from huddle.demo.practice import DEMO_NAME, DEMO_PASSWORD
from huddle.practices.models import Practice

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_practice_onboards_a_practice_with_its_admin(tmp_path: Path) -> None:
    password_file = tmp_path / "pw"
    password_file.write_text("a long and unusual passphrase\n")
    output = run(
        "create_practice",
        "--name",
        "Harbor Therapy",
        "--admin-email",
        "Owner@Harbor.example",
        "--admin-name",
        "Hana Harbor",
        "--admin-password-file",
        str(password_file),
    )
    practice = Practice.objects.get(name="Harbor Therapy")
    admin = User.objects.get(email="owner@harbor.example")
    assert admin.practice == practice
    assert admin.has_role(Role.PRACTICE_ADMIN)
    assert admin.check_password("a long and unusual passphrase")
    assert identify_hasher(admin.password).algorithm == "argon2"
    # A new practice starts with messaging off, as in the help article.
    assert not practice.secure_messaging_enabled
    assert not practice.practice_messaging_enabled
    assert practice.auto_archive_days == 30
    assert "owner@harbor.example" in output


def test_create_practice_prompts_for_the_password_when_no_file_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["a long and unusual passphrase", "a long and unusual passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("create_practice", "--name", "P", "--admin-email", "p@p.example", "--admin-name", "P A")
    assert User.objects.get(email="p@p.example").check_password("a long and unusual passphrase")


def test_create_practice_refuses_a_weak_password_and_stores_nothing(tmp_path: Path) -> None:
    password_file = tmp_path / "pw"
    password_file.write_text("password123")
    with pytest.raises(CommandError, match="password"):
        run(
            "create_practice",
            "--name",
            "Weak",
            "--admin-email",
            "weak@weak.example",
            "--admin-name",
            "W",
            "--admin-password-file",
            str(password_file),
        )
    assert not Practice.objects.filter(name="Weak").exists()
    assert not User.objects.filter(email="weak@weak.example").exists()


def test_create_practice_refuses_an_email_already_in_use(tmp_path: Path) -> None:
    password_file = tmp_path / "pw"
    password_file.write_text("a long and unusual passphrase")
    args = ["--admin-name", "A", "--admin-password-file", str(password_file)]
    run("create_practice", "--name", "First", "--admin-email", "a@x.example", *args)
    with pytest.raises(CommandError, match="already used"):
        run("create_practice", "--name", "Second", "--admin-email", "A@X.example", *args)
    assert not Practice.objects.filter(name="Second").exists()


def test_create_practice_reports_an_unreadable_password_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read the password file"):
        run(
            "create_practice",
            "--name",
            "N",
            "--admin-email",
            "n@n.example",
            "--admin-name",
            "N",
            "--admin-password-file",
            str(tmp_path / "missing"),
        )


def test_seed_demo_builds_riverside_once_and_prints_every_sign_in() -> None:
    first = run("seed_demo")
    second = run("seed_demo")
    assert Practice.objects.filter(name=DEMO_NAME).count() == 1
    practice = Practice.objects.get(name=DEMO_NAME)
    assert practice.secure_messaging_enabled and practice.practice_messaging_enabled
    assert practice.locations.count() == 2
    staff = User.objects.filter(practice=practice, kind="staff")
    for role in Role:
        holders = staff.filter(roles__role=role).count()
        assert holders >= 2, f"the demo needs two or more of {role.label}"
    assert Client.objects.filter(practice=practice).count() >= 3
    for user in staff:
        assert user.email in first
        assert user.email in second
        assert user.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in first
