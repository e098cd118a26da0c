import random

import pytest

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.demo.patrols import load_patrols_demo
from fengqiao.patrols.models import (
    Hazard,
    Meeting,
    PatrolEntry,
    PatrolSignature,
    StabilityAssessment,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_everything_through_the_services(make_actor, tree: Tree, police_station):
    make_actor(Role.CENTRE_DIRECTOR, tree.township_centre, username="zhuren")
    head = make_actor(Role.POLICE_STATION_HEAD, police_station, username="suozhang")
    make_actor(Role.MEDIATOR, tree.village_committee, username="tiaojie")
    secretary = make_actor(Role.VILLAGE_SECRETARY, tree.village_committee)
    lines = load_patrols_demo(system_actor(), random.Random(7))
    assert len(lines) == 2
    assert PatrolEntry.objects.filter(case__isnull=False).count() == 1
    # 双背书 by the two posts seed 000 names (the demo signed as the village mediator)
    signers = {(s.side, s.signer_id) for s in PatrolSignature.objects.all()}
    assert ("police", head.pk) in signers
    assert ("village", secretary.pk) in signers
    assert {side for side, _signer in signers} == {"police", "village"}
    assert all(signer in (head.pk, secretary.pk) for _side, signer in signers)
    assert Hazard.objects.count() == 2
    assert StabilityAssessment.objects.get().decision == "with_measures"
    assert Meeting.objects.get().tasks.count() == 1
