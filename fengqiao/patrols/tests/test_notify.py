import sys
import types
from datetime import date, timedelta

import pytest

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.patrols import services
from fengqiao.patrols.models import PatrolRound, PatrolSchedule, RoundKind

pytestmark = pytest.mark.django_db


def test_missing_report_alerts_the_township_through_supervision(
    make_actor, tree: Tree, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[tuple[str, str]] = []
    fake = types.ModuleType("fengqiao.supervision.services")
    fake.notify_org = lambda *, org, title, body: sent.append((org.name, title))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fengqiao.supervision.services", fake)
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    PatrolSchedule.objects.create(region=tree.township)
    services.rounds_generate(actor=director, on=date(2026, 11, 16))
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    with django_capture_on_commit_callbacks(execute=True):
        services.missing_reports_flag(actor=director, today=rnd.deadline + timedelta(days=1))
    assert ("静河镇矛调中心", "排查表未按期上报") in sent


def test_without_supervision_the_alert_is_logged(tree: Tree, caplog, monkeypatch):
    monkeypatch.setitem(sys.modules, "fengqiao.supervision.services", None)
    assert not services.notify_org_safe(org_region=tree.township, title="t", body="b")
    assert "no supervision.notify_org" in caplog.text
