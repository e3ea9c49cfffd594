from __future__ import annotations

from tests.api.helpers import ApiAs
from tests.conftest import World


def test_an_unsupported_method_answers_405_in_the_json_error_format(
    world: World, api_as: ApiAs
) -> None:
    response = api_as(world.admin).delete(f"/staff/{world.biller.pk}")
    assert response.status_code == 405
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert "DELETE" in error["message"]
    assert "PATCH" in response["Allow"]
