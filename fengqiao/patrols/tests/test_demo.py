import random

import pytest

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.patrols.demo import load_patrols_demo
from fengqiao.patrols.models import (
    Hazard,
    Meeting,
    PatrolEntry,
    PatrolSignature,
    StabilityAssessment,
)

pytestmark = pytest.mark.django_db


def test_demo_loads_everything_through_the_services(make_actor, tree: Tree):
    make_actor(Role.CENTRE_DIRECTOR, tree.township_centre, username="zhuren")
    make_actor(Role.POLICE_LIAISON, tree.township_centre, region=tree.township, username="minjing")
    make_actor(Role.MEDIATOR, tree.village_committee, username="tiaojie")
    lines = load_patrols_demo(system_actor(), random.Random(7))
    assert len(lines) == 2
    assert PatrolEntry.objects.filter(case__isnull=False).count() == 1
    assert PatrolSignature.objects.exists()
    assert Hazard.objects.count() == 2
    assert StabilityAssessment.objects.get().decision == "with_measures"
    assert Meeting.objects.get().tasks.count() == 1
