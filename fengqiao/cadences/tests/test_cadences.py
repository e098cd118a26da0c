"""Meeting cadences as data: a missed meeting flagged once to the responsible leader; the monthly
roll-up summed from the weekly rounds."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.cadences.models import CadenceRule, MissedMeeting
from fengqiao.cadences.rollup import monthly_rollup
from fengqiao.cadences.services import due_on, missed_meetings_flag
from fengqiao.notifications.models import Notification
from fengqiao.patrols.models import (
    Meeting,
    MissingReport,
    PatrolEntry,
    PatrolReport,
    PatrolRound,
    RoundKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_actor, tree):
    return make_actor(Role.CASE_LEADER, tree.township_centre, username="shuji")


@pytest.fixture
def rule(tree, leader):
    return CadenceRule.objects.create(
        region=tree.township,
        cadence="half_month",
        name="矛盾纠纷联席会议",
        max_days=15,
        leader=leader,
    )


def meeting(tree, actor, held_on):
    return Meeting.objects.create(
        region=tree.township,
        cadence="half_month",
        title="联席会议",
        held_on=held_on,
        attendees="镇长、所长",
        created_by=actor,
    )


def test_a_missed_meeting_is_flagged_once_to_the_leader(rule, tree, township_clerk, leader):
    today = timezone.localdate()
    meeting(tree, township_clerk, today - timedelta(days=20))
    assert due_on(rule) == today - timedelta(days=5)
    flagged = missed_meetings_flag(actor=system_actor(), today=today)
    assert [m.due_on for m in flagged] == [today - timedelta(days=5)]
    assert Notification.objects.filter(recipient=leader).count() == 1
    assert missed_meetings_flag(actor=system_actor(), today=today) == []  # once per due date
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_a_meeting_held_in_time_flags_nothing(rule, tree, township_clerk):
    today = timezone.localdate()
    meeting(tree, township_clerk, today - timedelta(days=10))
    assert missed_meetings_flag(actor=system_actor(), today=today) == []
    assert MissedMeeting.objects.count() == 0


def test_the_monthly_rollup_sums_the_weekly_rounds(tree, township_clerk, client):
    start = date(2026, 11, 2)
    for week in range(4):
        first = start + timedelta(days=7 * week)
        rnd = PatrolRound.objects.create(
            kind=RoundKind.WEEKLY,
            region=tree.township,
            period_start=first,
            period_end=first + timedelta(days=6),
            deadline=first + timedelta(days=7),
            created_by=township_clerk,
        )
        if week == 3:
            MissingReport.objects.create(round=rnd, village=tree.village)
            continue
        report = PatrolReport.objects.create(
            round=rnd, village=tree.village, is_zero=week == 0, filed_by=township_clerk
        )
        if week:
            PatrolEntry.objects.create(
                report=report, checked_on=first, checker="网格员", situation="两户因排水争执"
            )
    rows = {
        r.village.code: r
        for r in monthly_rollup(actor=township_clerk, township=tree.township, year=2026, month=11)
    }
    here = rows[tree.village.code]
    assert (here.reports, here.zero_reports, here.entries, here.missing) == (3, 1, 2, 1)
    assert rows[tree.other_village.code].reports == 0
    client.force_login(township_clerk)
    url = reverse("cadences:rollup", args=[tree.township.code, 2026, 11])
    assert client.get(url).status_code == 200


def test_the_rollup_is_not_found_outside_the_jurisdiction(tree, make_actor, client):
    other = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client.force_login(other)
    url = reverse("cadences:rollup", args=[tree.township.code, 2026, 11])
    assert client.get(url).status_code == 404
    assert monthly_rollup(actor=other, township=tree.township, year=2026, month=11) == []
