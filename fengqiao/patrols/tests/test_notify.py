from datetime import date, timedelta

import pytest

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.notifications.models import Notification
from fengqiao.orgs.models import Organisation
from fengqiao.patrols import services
from fengqiao.patrols.models import PatrolRound, PatrolSchedule, RoundKind

pytestmark = pytest.mark.django_db


def test_missing_report_alerts_the_township_through_supervision(
    make_actor, tree: Tree, django_capture_on_commit_callbacks
):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    PatrolSchedule.objects.create(region=tree.township)
    services.rounds_generate(actor=director, on=date(2026, 11, 16))
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    with django_capture_on_commit_callbacks(execute=True):
        flagged = services.missing_reports_flag(
            actor=director, today=rnd.deadline + timedelta(days=1)
        )
    assert flagged  # one notice per village that did not report
    inbox = Notification.objects.filter(recipient=director, title="排查表未按期上报")
    assert inbox.count() == len(flagged)


def test_every_organisation_seated_in_the_township_is_told(make_actor, tree: Tree):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    judicial = make_actor(Role.JUSTICE_OFFICER, tree.justice_office)
    told = services.alert_orgs_seated_in(org_region=tree.township, title="t", body="b")
    assert told == Organisation.objects.filter(region=tree.township, is_active=True).count()
    assert {n.recipient for n in Notification.objects.filter(title="t")} == {director, judicial}
