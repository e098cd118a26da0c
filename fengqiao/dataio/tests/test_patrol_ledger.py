"""The 排查台账: entries and zero reports of the rounds in reach, the case an entry became, the
page and the export agree, and another township's entries stay out."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import PartyRole
from fengqiao.cases.services import PartyDraft
from fengqiao.dataio.tests.test_ledgers import page_rows
from fengqiao.patrols import services
from fengqiao.patrols.models import PatrolRound, PatrolSchedule, RoundKind

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 16)


@pytest.fixture
def filed(make_actor, tree, township_clerk, village_mediator):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    PatrolSchedule.objects.create(region=tree.township)
    PatrolSchedule.objects.create(region=tree.other_township)
    services.rounds_generate(actor=director, on=MONDAY)
    weekly = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    report = services.report_file(
        actor=village_mediator,
        round_id=weekly.pk,
        village=tree.village.code,
        entries=[
            services.EntryDraft(
                checked_on=MONDAY,
                checker="村调委会 王五",
                situation="两户因排水沟发生争执",
                measures="上门调解",
            )
        ],
    )
    entry = report.entries.get()
    case = services.entry_to_case(
        actor=township_clerk,
        entry_id=entry.pk,
        org_id=tree.township_centre.pk,
        category="housing_homestead",
        parties=(PartyDraft(role=PartyRole.APPLICANT, name="王五"),),
    )
    other_weekly = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.other_village)
    other_mediator = make_actor(Role.MEDIATOR, tree.other_village_committee)
    services.report_file(
        actor=other_mediator, round_id=other_weekly.pk, village=tree.other_village.code, entries=[]
    )
    outsider = make_actor(Role.MEDIATOR, tree.other_township_centre, region=tree.other_township)
    far = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.other_township_village)
    services.report_file(
        actor=outsider,
        round_id=far.pk,
        village=tree.other_township_village.code,
        entries=[
            services.EntryDraft(
                checked_on=MONDAY, checker="石塘村", situation="石塘村的矛盾", measures=""
            )
        ],
    )
    return case


def test_entries_and_zero_reports_in_reach_page_and_export_agree(client, township_clerk, filed):
    client.force_login(township_clerk)
    html = client.get(reverse("dataio:ledger", args=["patrols"])).content.decode()
    shown = page_rows(html)
    assert len(shown) == 2
    text = " ".join(" ".join(row) for row in shown)
    assert "两户因排水沟发生争执" in text
    assert filed.number in text
    assert "排查无矛盾纠纷" in text  # 湾河村's zero report
    assert "石塘村的矛盾" not in text

    response = client.get(reverse("dataio:export", args=["patrols"]))
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = [
        ["" if v is None else str(v.date() if isinstance(v, datetime) else v) for v in r]
        for r in book.active.iter_rows(values_only=True)
    ]
    assert "排查台账" in rows[0][0]
    assert rows[3][:7] == [
        "序号",
        "排查时间",
        "村名",
        "排查单位或排查人",
        "矛盾情况",
        "化解措施",
        "备注",
    ]
    assert [r[:3] for r in rows[4:]] == [r[:3] for r in shown]


def test_filters_narrow_and_a_reversed_range_is_a_field_error(client, township_clerk, filed, tree):
    client.force_login(township_clerk)
    url = reverse("dataio:ledger", args=["patrols"])
    only_jinghe = page_rows(client.get(url, {"region": tree.village.code}).content.decode())
    assert len(only_jinghe) == 1
    later = client.get(url, {"created_from": "2027-01-01"}).content.decode()
    assert "两户因排水沟发生争执" not in later
    bad = client.get(url, {"created_from": "2026-12-01", "created_to": "2026-11-01"})
    assert bad.status_code == 400
    assert "截止日期早于起始日期" in bad.content.decode()
