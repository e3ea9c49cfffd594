"""The worker's step removes uploads never sent after 24 hours, bytes and all,
and never a file on a message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from huddle.attachments import cleanup
from huddle.attachments.models import Attachment
from tests.attachments.helpers import PDF, png, uploaded
from tests.conftest import Api, World


def test_unsent_uploads_older_than_a_day_are_removed_with_their_bytes(
    world: World, attachment_dir: Path
) -> None:
    api = Api(world.clinician)
    old_id = uploaded(api, png(), "old.png")
    fresh_id = uploaded(api, PDF, "fresh.pdf")
    sent_id = uploaded(api, PDF, "sent.pdf")
    response = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "S",
            "body": "B",
            "attachment_ids": [sent_id],
        },
    )
    assert response.status_code == 201
    # The biller deletes the thread for themselves: the practice's record stays.
    assert Api(world.biller).delete(f"/threads/{response.json()['id']}").status_code == 204
    old = Attachment.objects.get(pk=old_id)
    assert old.thumbnail_key
    day_ago = timezone.now() - timedelta(hours=24, minutes=1)
    Attachment.objects.filter(pk__in=[old_id, sent_id]).update(created_at=day_ago)

    assert cleanup.remove_unsent() == 1
    assert cleanup.remove_unsent() == 0

    assert set(Attachment.objects.values_list("pk", flat=True)) == {int(fresh_id), int(sent_id)}
    assert not (attachment_dir / old.key).exists()
    assert not (attachment_dir / old.thumbnail_key).exists()
    sent = Attachment.objects.get(pk=sent_id)
    assert (attachment_dir / sent.key).read_bytes() == PDF
    assert Api(world.clinician).get(f"/attachments/{sent_id}").status_code == 200


def test_an_upload_whose_storage_failed_is_removed_too(world: World) -> None:
    api = Api(world.clinician)
    attachment_id = uploaded(api)
    Attachment.objects.filter(pk=attachment_id).update(
        stored=False, created_at=timezone.now() - timedelta(days=2)
    )

    assert cleanup.remove_unsent() == 1
    assert not Attachment.objects.exists()


def test_the_worker_runs_the_step_at_most_every_ten_minutes(world: World) -> None:
    api = Api(world.clinician)
    attachment_id = uploaded(api)
    Attachment.objects.filter(pk=attachment_id).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    cleanup._last_run[0] = 1000.0

    assert cleanup.remove_unsent_if_due(clock=1000.0 + 599) == 0
    assert Attachment.objects.exists()
    assert cleanup.remove_unsent_if_due(clock=1000.0 + 601) == 1
    assert not Attachment.objects.exists()
