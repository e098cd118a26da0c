"""The 督办台账: a leader's notice and its reply appear with the unit, deadline and status; the
page and the export agree; another township's notices stay out."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.dataio.tests.test_ledgers import page_rows
from fengqiao.supervision.notices import supervision_issue, supervision_reply

pytestmark = pytest.mark.django_db


def test_notices_and_replies_in_reach(client, township_clerk, register_case, tree, make_actor):
    case = register_case(title="拖欠工资纠纷")
    notice = supervision_issue(
        actor=township_clerk, case_id=case.pk, instructions="请三日内上门调解并报告进展"
    )
    supervision_reply(
        actor=township_clerk, case_id=case.pk, notice_id=notice.pk, reply="已上门，双方同意再谈"
    )
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    other = register_case(
        actor=elsewhere,
        org=tree.other_township_centre,
        region=tree.other_township_village,
        title="石塘镇的案件",
    )
    supervision_issue(actor=elsewhere, case_id=other.pk, instructions="石塘镇的督办")

    client.force_login(township_clerk)
    shown = page_rows(client.get(reverse("dataio:ledger", args=["supervision"])).content.decode())
    assert len(shown) == 1
    row = " ".join(shown[0])
    assert case.number in row
    assert "请三日内上门调解并报告进展" in row
    assert "已上门，双方同意再谈" in row
    assert "石塘镇的督办" not in row

    response = client.get(reverse("dataio:export", args=["supervision"]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert "督办台账" in rows[0][0]
    assert [r[:2] for r in rows[4:]] == [r[:2] for r in shown]
