"""Settings > Audit log: for Practice Admins, newest first, filtered, paged;
others get the 403 page; another practice's events never show."""

from __future__ import annotations

import re
from typing import Any

import pytest

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from tests.audit.html_parts import parse
from tests.audit.test_audit_api import many
from tests.conftest import World


def rows(response: Any) -> list[list[str]]:
    return parse(response).rows


def older_link(response: Any) -> str | None:
    found = [t for t in parse(response).find("a") if t.text == "Older events"]
    return found[0].attrs["href"] if found else None


def test_the_admin_sees_the_log_newest_first(world: World, page_as: Any) -> None:
    admin = page_as(world.admin)  # signing in is recorded too: before the views
    many(world, 3)
    response = admin.get("/settings/audit")

    assert response.status_code == 200
    found = rows(response)
    assert found[0][1] == "Bill Biller"
    assert found[0][2] == "Viewed a thread"
    assert found[0][3] == "Thread #1002"
    assert found[0][4] == "192.0.2.1"
    page = parse(response)
    times = [t.attrs["datetime"] for t in page.find("time") if t.in_table_body]
    assert len(times) == len(found)
    assert times == sorted(times, reverse=True)
    assert [t.text for t in page.find("a", **{"aria-current": "page"})] == ["Audit log"]


def test_a_thread_links_only_where_the_admin_may_open_it(world: World, page_as: Any) -> None:
    theirs = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Theirs", body="B"
    )
    mine = actions.start_thread(
        sender=world.clinician, user_ids=[world.admin.pk], subject="Mine", body="B"
    )
    response = page_as(world.admin).get("/settings/audit")

    links = {t.attrs["href"] for t in parse(response).find("a") if t.in_table_body}
    assert f"/messages/{mine.pk}" in links
    assert f"/messages/{theirs.pk}" not in links
    objects = {r[3] for r in rows(response)}
    assert {f"Thread #{theirs.pk}", f"Thread #{mine.pk}"} <= objects
    assert b"Theirs" not in response.content


@pytest.mark.parametrize("who", ["clinician", "biller", "scheduler"])
def test_other_staff_get_the_403_page(world: World, page_as: Any, who: str) -> None:
    response = page_as(getattr(world, who)).get("/settings/audit")

    assert response.status_code == 403
    assert b"Only a Practice Admin" in response.content
    assert b"<table" not in response.content


def test_a_client_gets_403_and_signed_out_goes_to_sign_in(world: World, page_as: Any) -> None:
    from django.test import Client as HttpClient

    assert page_as(world.client.user).get("/settings/audit").status_code == 403
    response = HttpClient().get("/settings/audit")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin")


def test_the_outsider_admin_sees_only_their_practice(world: World, page_as: Any) -> None:
    many(world, 5)
    response = page_as(world.outsider_admin).get("/settings/audit")

    people = {r[1] for r in rows(response)}
    # Olga and Oscar accepted their invitations: rows of their own, in their practice.
    assert people == {"Otto Outsider", "Operator", "Olga Outside", "Oscar Outclient"}
    options = {t.text for t in parse(response).find("option")}
    assert "Otto Outsider" in options
    assert "Bill Biller" not in options
    filtered = page_as(world.outsider_admin).get(f"/settings/audit?person={world.biller.pk}")
    assert filtered.status_code == 400  # not a person of their practice
    assert rows(filtered) == []


def test_filters_narrow_the_table(world: World, page_as: Any) -> None:
    many(world, 4)
    admin = page_as(world.admin)

    by_person = rows(admin.get(f"/settings/audit?person={world.biller.pk}"))
    by_thread = rows(admin.get("/settings/audit?thread=1001"))
    by_action = rows(admin.get("/settings/audit?action=location_added"))
    today = rows(
        admin.get("/settings/audit?since=2000-01-01&until=2999-12-31&action=thread_viewed")
    )
    none = admin.get("/settings/audit?since=2000-01-01&until=2000-01-02")

    assert {r[1] for r in by_person} == {"Bill Biller"}
    assert [r[3] for r in by_thread] == ["Thread #1001"]
    assert [r[3] for r in by_action] == [
        f"Location #{world.eastside.pk}",
        f"Location #{world.downtown.pk}",
    ]
    assert len(today) == 4
    assert none.status_code == 200
    assert rows(none) == []
    assert b"No events match these filters." in none.content


@pytest.mark.parametrize(
    ("query", "field"),
    [("thread=abc", "thread"), ("action=nope", "action"), ("since=2026-02-30", "since")],
)
def test_bad_filters_answer_400_with_the_reason(
    world: World, page_as: Any, query: str, field: str
) -> None:
    response = page_as(world.admin).get(f"/settings/audit?{query}")

    assert response.status_code == 400
    page = parse(response)
    assert page.find("div", id=f"id_{field}_error")
    assert [t for t in page.tags if t.attrs.get("role") == "alert"]


def test_until_before_from_is_refused(world: World, page_as: Any) -> None:
    response = page_as(world.admin).get("/settings/audit?since=2026-05-02&until=2026-05-01")

    assert response.status_code == 400
    assert b"on or after the first day" in response.content


def test_pages_follow_the_older_link_and_keep_the_filters(world: World, page_as: Any) -> None:
    many(world, 70)
    admin = page_as(world.admin)
    first = admin.get("/settings/audit?action=thread_viewed")
    link = older_link(first)
    assert link is not None
    assert "action=thread_viewed" in link

    second = admin.get("/settings/audit" + link.replace("&amp;", "&"))

    ids = [r[3] for r in rows(first)] + [r[3] for r in rows(second)]
    assert len(rows(first)) == 50
    assert len(ids) == len(set(ids)) == 70
    assert older_link(second) is None


def test_a_bad_cursor_is_400_not_500(world: World, page_as: Any) -> None:
    response = page_as(world.admin).get("/settings/audit?cursor=%%%")

    assert response.status_code == 400
    assert b"The cursor is not valid." in response.content


def test_every_filter_has_a_label(world: World, page_as: Any) -> None:
    page = parse(page_as(world.admin).get("/settings/audit"))
    controls = [
        t
        for t in page.tags
        if t.in_filters and t.name in ("input", "select") and t.attrs.get("type") != "hidden"
    ]
    labels = {t.attrs.get("for"): t.text.strip() for t in page.find("label") if t.in_filters}

    assert len(controls) == 5
    for control in controls:
        assert labels.get(control.attrs["id"]), control


def test_the_empty_state_says_nothing_is_recorded_yet(world: World, page_as: Any) -> None:
    # A practice whose log holds nothing of its own yet: built without actions, its
    # admin's session started before the audit log existed (so no sign-in row).
    from django.contrib.auth.signals import user_logged_in

    from huddle.accounts.models import Role, User, UserRole
    from huddle.audit.apps import SIGNED_IN
    from huddle.practices.models import Practice

    practice = Practice.objects.create(name="Quiet Practice")
    admin = User.objects.create(practice=practice, name="Quinn", email="quinn@quiet.example")
    UserRole.objects.create(user=admin, role=Role.PRACTICE_ADMIN)
    user_logged_in.disconnect(dispatch_uid=SIGNED_IN)
    try:
        http = page_as(admin)
    finally:
        from huddle.audit.apps import connect_signals

        connect_signals()
    assert not AuditEvent.objects.filter(practice=practice).exists()

    response = http.get("/settings/audit")

    assert response.status_code == 200
    assert b"Nothing recorded yet." in response.content
    assert re.search(rb"<table", response.content) is None


def test_the_page_shows_no_subject_or_body(world: World, page_as: Any) -> None:
    actions.start_thread(
        sender=world.admin, user_ids=[world.biller.pk], subject="Secret subj", body="Secret body"
    )
    response = page_as(world.admin).get("/settings/audit?action=" + Action.MESSAGE_SENT)

    assert len(rows(response)) == 1
    assert b"Secret" not in response.content
