from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huddle.demo.practice import (
    DEMO_NAME,
    DEMO_PASSWORD,
    build_demo,
    demo_client_sign_ins,
    demo_exists,
    demo_sign_ins,
)


class Command(BaseCommand):
    help = "Build the demo practice Riverside Counseling (once) and print its sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write(f"The demo practice {DEMO_NAME} is already there.")
        else:
            build_demo()
            self.stdout.write(f"Built the demo practice {DEMO_NAME}.")
        sign_ins = demo_sign_ins()
        width = max(len(s.email) for s in [*sign_ins, *demo_client_sign_ins()])
        self.stdout.write("Demo staff sign-ins:")
        for s in sign_ins:
            self.stdout.write(f"  {s.email.ljust(width)}  {s.name} ({s.roles})")
        self.stdout.write("Demo client sign-ins (client portal at /portal/signin):")
        for s in demo_client_sign_ins():
            self.stdout.write(f"  {s.email.ljust(width)}  {s.name}")
        self.stdout.write(f"Every demo password is: {DEMO_PASSWORD}")
