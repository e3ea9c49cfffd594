"""With two-factor sign-in, "signed in" is recorded when the session starts,
after the authentication code: a right password alone is not a sign-in."""

from __future__ import annotations

from huddle.audit.models import Action
from tests.audit.helpers import IP, mark, page_from_ip, since
from tests.conftest import PASSWORD, World
from tests.security.twofactor_steps import code_step, fresh_code, password_step, turn_on


def test_the_sign_in_is_recorded_once_after_the_code(world: World) -> None:
    turn_on(world.clinician)
    http = page_from_ip(None)
    position = mark()

    after_password = password_step(http, world.clinician.email, PASSWORD)

    assert after_password.status_code == 302
    assert [r.action for r in since(position)] == []

    after_code = code_step(http, fresh_code(world.clinician))

    assert after_code.status_code == 302
    rows = since(position)
    assert [(r.action, r.actor_id, r.ip) for r in rows] == [
        (Action.SIGN_IN_SUCCEEDED, world.clinician.pk, IP)
    ]
