"""load_demo: runs within its query budget, is idempotent, gives every role a login, covers every
status, and leaves every ledger chain intact."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import ROLE_CAPABILITIES, Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import ledger, particulars
from fengqiao.cases.choices import CaseStatus, Channel
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.core.validators import id_number_is_valid
from fengqiao.demo.loader import DEMO_PASSWORD, id_number
from fengqiao.mediation.particulars_check import check_particulars
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Grid, Region

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_is_idempotent_and_says_so():
    demo_db = load("--cases", "40")
    assert "演示数据载入完成" in demo_db
    assert "人口数为按区划代码生成的虚构数字" in demo_db
    counts = (Case.objects.count(), CaseEvent.objects.count(), User.objects.count())
    again = load("--cases", "40")
    assert "本次未做任何更改" in again
    assert DEMO_PASSWORD in again
    assert (Case.objects.count(), CaseEvent.objects.count(), User.objects.count()) == counts
    assert AuditEntry.objects.filter(action=AuditAction.DEMO_LOADED).count() == 1


# What one load of 40 cases may cost (issue #21): 7,440 queries on SQLite, 7,415 on PostgreSQL,
# where it was 8,850, chiefly the case read again for each mediation record and the earlier
# events read for events that move no counter. The count moves by a few with the day (the demo
# is dated back from today): a little room for that; a new query per case or record shows.
LOAD_BUDGET = 7_600


def test_the_demo_data_set():
    """One load (40 cases: a second on SQLite, several on PostgreSQL), checked from every side."""
    with CaptureQueriesContext(connection) as captured:
        load("--cases", "40")
    assert len(captured) <= LOAD_BUDGET
    _structure_of_the_county_and_jinghe()
    _one_login_per_role()
    _cases_cover_every_status_and_channel_and_spread_over_a_year()
    _parties_in_mediation_have_full_and_varied_particulars()
    assert list(ledger.verify()) == []


def _structure_of_the_county_and_jinghe():
    assert Region.objects.filter(level=4, parent__code="430624000000").count() == 15
    jinghe = Region.objects.get(code="430624122000")
    assert jinghe.population > 0
    villages = Region.objects.filter(parent=jinghe)
    assert villages.count() == 10
    for village in villages:
        assert 2 <= Grid.objects.filter(village=village).count() <= 3
        assert Organisation.objects.filter(region=village, kind=OrgKind.VILLAGE_COMMITTEE).exists()
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrgKind.values)
    assert Organisation.objects.filter(name="樟树派出所", region=jinghe).exists()
    assert all(g.workers.exists() for g in Grid.objects.all())


def _one_login_per_role():
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for role in Role.values:
        user = Membership.objects.filter(role=role).order_by("pk").first().user
        assert authenticate(username=user.username, password=DEMO_PASSWORD) == user
        assert user.full_name
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert all(not ROLE_CAPABILITIES[m.role] for m in admin.memberships.all())
    for username in ("anquan", "shenji"):  # the security and audit administrators use the admin
        staff = User.objects.get(username=username)
        assert staff.is_staff
        assert not staff.is_superuser
    assert Membership.objects.filter(role=Role.MEDIATOR, org__kind=OrgKind.VILLAGE_COMMITTEE)
    assert Membership.objects.filter(role=Role.MEDIATOR, org__kind=OrgKind.TOWNSHIP_COMMITTEE)


def _cases_cover_every_status_and_channel_and_spread_over_a_year():
    assert Case.objects.count() >= 40  # other apps' demo steps may add a few (排查 → case)
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    dates = sorted(Case.objects.values_list("created_at", flat=True))
    assert (dates[-1] - dates[0]).days > 180
    assert Case.objects.filter(overdue_since__isnull=False).exists()


def _parties_in_mediation_have_full_and_varied_particulars():
    # issue #14: demo agreements were signed by bare names
    mediated = Case.objects.filter(events__data__transition="start_mediation").distinct()
    parties = list(Party.objects.filter(case__in=mediated))
    assert parties
    assert [
        (p.case.number, p.name, particulars.missing(p)) for p in parties if particulars.missing(p)
    ] == []
    in_force = Party.objects.filter(case__agreements__effective_on__isnull=False)
    assert in_force.exists()
    assert all(not particulars.missing(p) for p in in_force)
    assert list(check_particulars(Case.objects.all())) == []  # verify_records' particulars
    shown = [p.reveal() for p in parties]
    assert len({v["ethnicity"] for v in shown}) > 1
    assert len({v["occupation"] for v in shown}) > 3
    assert {v["gender"] for v in shown} == {"male", "female"}
    assert all(id_number_is_valid(v["id_number"]) for v in shown)


def test_id_numbers_carry_a_valid_check_character():
    import random

    rng = random.Random(1)
    assert all(id_number_is_valid(id_number(rng, "430624", i % 2 == 0)) for i in range(200))
