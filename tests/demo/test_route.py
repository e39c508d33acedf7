import pytest
from django.core.management import call_command

from bulletins.models import Bulletin, BulletinStatus
from review.models import Adoption, LeaderInstruction, QueueEntry, ReviewEvent


@pytest.mark.django_db
def test_seed_demo_covers_every_stage_and_is_idempotent():
    call_command("seed_demo")
    counts = (Bulletin.objects.count(), ReviewEvent.objects.count(), QueueEntry.objects.count())
    statuses = set(Bulletin.objects.values_list("status", flat=True))
    assert statuses == set(BulletinStatus.values)
    assert Adoption.objects.filter(unit__code="zy").exists()
    assert LeaderInstruction.objects.exists()
    assert ReviewEvent.objects.filter(action="resubmit").exists()
    assert ReviewEvent.objects.filter(action="withdraw").exists()
    assert set(QueueEntry.objects.filter(state="open").values_list("unit__level", flat=True)) == {1, 2, 3}
    call_command("seed_demo")
    assert (Bulletin.objects.count(), ReviewEvent.objects.count(), QueueEntry.objects.count()) == counts
