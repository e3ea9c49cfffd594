"""The API documents itself: /api/v1/openapi.json and /api/v1/docs (API.md)."""

from __future__ import annotations

import json

from django.test import Client as HttpClient

# The paths of API.md that exist so far, with their methods.
DOCUMENTED = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/me": {"get"},
    "/api/v1/practice/settings": {"get", "patch"},
    "/api/v1/locations": {"get", "post"},
    "/api/v1/staff": {"get", "post"},
    "/api/v1/staff/{staff_id}": {"get", "patch"},
    "/api/v1/clients": {"get", "post"},
    "/api/v1/clients/{client_id}": {"get", "patch"},
}


def test_the_openapi_document_lists_the_documented_paths(db: None) -> None:
    response = HttpClient().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"]
    for path, methods in DOCUMENTED.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))


def test_the_openapi_document_describes_the_error_answers(db: None) -> None:
    schema = HttpClient().get("/api/v1/openapi.json").json()

    staff_post = schema["paths"]["/api/v1/staff"]["post"]
    assert {"201", "400", "401", "403", "409"} <= set(staff_post["responses"])
    token_post = schema["paths"]["/api/v1/auth/token"]["post"]
    assert {"201", "401"} <= set(token_post["responses"])
    assert "requestBody" in token_post


def test_the_openapi_document_shows_ids_as_strings(db: None) -> None:
    schema = HttpClient().get("/api/v1/openapi.json").json()

    staff_out = schema["components"]["schemas"]["StaffOut"]["properties"]
    assert staff_out["id"]["type"] == "string"


def test_the_readable_docs_answer_200(db: None) -> None:
    response = HttpClient().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
