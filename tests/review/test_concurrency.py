"""Two reviewers decide at the same moment: PostgreSQL row locks let exactly one win."""

import threading

import pytest
from django.db import connections

from bulletins.models import Bulletin
from review.exceptions import InvalidTransition
from review.models import Adoption, QueueEntry, ReviewAction, ReviewEvent
from review.services import review_adopt, review_return

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_decide_at_once_exactly_one_wins(tree, at_city):
    reviewer, head = tree.user("city_a", "reviewer"), tree.user("city_a", "head")
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(name, call):
        try:
            # Each thread reads the bulletin as its reviewer saw it on the page, then both act.
            seen = Bulletin.objects.get(pk=at_city.pk)
            barrier.wait(timeout=10)
            outcomes[name] = call(seen)
        except InvalidTransition as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=decide, args=("adopt", lambda b: review_adopt(actor=reviewer, bulletin=b, kind="full"))
        ),
        threading.Thread(
            target=decide,
            args=("return", lambda b: review_return(actor=head, bulletin=b, reason="verify", comment="请核实")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    losers = [o for o in outcomes.values() if isinstance(o, InvalidTransition)]
    winners = [o for o in outcomes.values() if isinstance(o, ReviewEvent)]
    assert len(outcomes) == 2 and len(winners) == 1 and len(losers) == 1
    winner, loser = winners[0], losers[0]
    # The loser is told who decided what, and when.
    assert loser.decision.pk == winner.pk
    assert loser.decision.actor_id == winner.actor_id
    assert winner.actor.get_full_name() in str(loser)
    decisions = ReviewEvent.objects.filter(bulletin=at_city, from_unit=tree.city_a)
    assert decisions.count() == 1
    assert QueueEntry.objects.filter(bulletin=at_city, unit=tree.city_a, state="decided").count() == 1
    assert Adoption.objects.filter(bulletin=at_city).count() == (1 if winner.action == ReviewAction.ADOPT else 0)
