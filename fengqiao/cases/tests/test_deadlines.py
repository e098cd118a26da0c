"""Time limits come from policy rows: the most specific wins, and registration uses it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fengqiao.cases import deadlines
from fengqiao.cases.models import DeadlinePolicy, DisputeCategory
from fengqiao.core.calendar import add_days, roll_forward
from fengqiao.regions.choices import RegionLevel

pytestmark = pytest.mark.django_db


def test_the_most_specific_policy_wins(tree):
    labour = DisputeCategory.objects.get(code="labour")
    assert deadlines.policy_for(channel="walk_in", category_id=None, level=None).days == 30
    assert deadlines.policy_for(channel="walk_in", category_id=labour.pk, level=None).days == 15
    assert deadlines.policy_for(channel="petition", category_id=labour.pk, level=None).days == 60
    DeadlinePolicy.objects.create(
        channel="petition", category=labour, level=RegionLevel.TOWNSHIP, days=20
    )
    assert (
        deadlines.policy_for(
            channel="petition", category_id=labour.pk, level=RegionLevel.TOWNSHIP
        ).days
        == 20
    )
    assert (
        deadlines.policy_for(
            channel="petition", category_id=labour.pk, level=RegionLevel.COUNTY
        ).days
        == 60
    )


def test_registration_takes_its_due_date_from_the_policy(register_case):
    today = timezone.localdate()
    # a last day on a rest day or holiday moves to the next working day (民法典 art.203)
    assert register_case().due_date == roll_forward(today + timedelta(days=30))
    assert register_case(category="labour").due_date == roll_forward(today + timedelta(days=15))
    assert register_case(channel="hotline_12345").due_date == add_days(today, 5, working=True)


def test_without_any_policy_a_case_has_no_due_date(register_case):
    DeadlinePolicy.objects.update(is_active=False)
    assert register_case().due_date is None


def test_a_second_policy_for_the_same_scope_is_refused(tree):
    with pytest.raises(ValidationError):
        DeadlinePolicy(channel="", category=None, level=None, days=10).full_clean()
