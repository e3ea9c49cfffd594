from __future__ import annotations

import getpass
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huddle.administration.actions import create_practice
from huddle.core.errors import ActionError


class Command(BaseCommand):
    help = "Onboard a practice with its first Practice Admin."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True, help="The practice's name")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument(
            "--admin-password-file",
            type=Path,
            help="A file holding the admin's password; prompted for when absent",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password_file: Path | None = options["admin_password_file"]
        if password_file is not None:
            try:
                password = password_file.read_text().rstrip("\r\n")
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc.strerror}") from None
        else:
            password = getpass.getpass("Password for the Practice Admin: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")
        try:
            practice, admin = create_practice(
                name=options["name"],
                admin_name=options["admin_name"],
                admin_email=options["admin_email"],
                admin_password=password,
            )
        except ActionError as exc:
            reasons = "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message
            raise CommandError(reasons) from None
        self.stdout.write(
            f"Created practice {practice.name} (id {practice.pk}) "
            f"with Practice Admin {admin.email}. Secure Messaging starts off."
        )
