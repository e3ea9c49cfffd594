"""Audit rows are only ever added: the model refuses every change and delete."""

from __future__ import annotations

import pytest
from django.db.models.deletion import ProtectedError

from huddle.audit.models import Action, AuditEvent, ImmutableAuditEvent
from tests.conftest import World


def test_a_stored_row_cannot_be_saved_again(world: World) -> None:
    row = AuditEvent.objects.filter(practice=world.practice).first()
    assert row is not None
    row.action = Action.SIGNED_OUT

    with pytest.raises(ImmutableAuditEvent):
        row.save()

    assert AuditEvent.objects.get(pk=row.pk).action != Action.SIGNED_OUT


def test_a_row_cannot_be_deleted_one_or_many_at_a_time(world: World) -> None:
    count = AuditEvent.objects.count()
    row = AuditEvent.objects.first()
    assert row is not None

    with pytest.raises(ImmutableAuditEvent):
        row.delete()
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.filter(practice=world.practice).delete()
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.filter(practice=world.practice).update(ip="192.0.2.1")

    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(ip="192.0.2.1").exists()


def test_a_person_with_audit_rows_cannot_be_deleted_away(world: World) -> None:
    with pytest.raises(ProtectedError):
        world.admin.delete()
    assert AuditEvent.objects.filter(actor=world.admin).exists()
