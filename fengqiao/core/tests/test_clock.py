"""The one clock: a replayed moment reaches services and model defaults, and only its own block
and thread (issue #12: the demo and the history import no longer patch ``timezone.now``)."""

import threading
from datetime import UTC, datetime

import pytest

from fengqiao.core import clock
from fengqiao.notifications.models import Notification

MOMENT = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


def test_now_is_real_time_outside_a_replay():
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)


def test_a_replay_answers_its_moment_and_ends_with_its_block():
    with clock.replay(MOMENT) as replay:
        assert clock.now() == MOMENT
        assert clock.today().isoformat() == "2025-03-01"  # 10:00 in Asia/Shanghai
        replay.moment = None
        assert clock.now() != MOMENT  # between replayed steps the loader works in real time
        assert clock.real_now() != MOMENT
    assert clock.now().year != 2025


def test_a_replayed_moment_stays_in_its_own_thread():
    seen: list[datetime] = []
    with clock.replay(MOMENT):
        worker = threading.Thread(target=lambda: seen.append(clock.now()))
        worker.start()
        worker.join()
    assert len(seen) == 1
    assert seen[0] != MOMENT


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), clock.replay(datetime(2025, 3, 1)):  # noqa: DTZ001
        pass


def test_model_defaults_read_the_clock():
    field = Notification._meta.get_field("created_at")
    with clock.replay(MOMENT):
        assert field.get_default() == MOMENT


@pytest.mark.django_db
def test_rights_are_decided_in_real_time_inside_a_replay(make_actor, tree):
    """A clerk whose membership began this year may import last year's cases (issue #21)."""
    from fengqiao.accounts.models import Membership
    from fengqiao.accounts.roles import Role

    clerk = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    with clock.replay(MOMENT):
        assert Membership.objects.active().filter(user=clerk).exists()
