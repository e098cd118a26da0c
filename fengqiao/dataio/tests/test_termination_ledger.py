"""The 调处台账 says why a terminated mediation ended: a suspected 虚假调解 reads as such, not as
a plain failure, and a case still open or resolved has no reason."""

import pytest
from django.urls import reverse

from fengqiao.cases.choices import CaseStatus, TerminationReason
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.dataio.tests.test_ledgers import page_rows

pytestmark = pytest.mark.django_db


def _terminated(register_case, clerk, reason: str) -> Case:
    case = register_case(title="借款纠纷")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=clerk)
    return case_transition(
        actor=clerk,
        case_id=case.pk,
        name="terminate",
        action=ActionInput(termination_reason=reason, note="双方虚构债务"),
    )


def test_the_handling_ledger_names_the_ground_of_termination(client, township_clerk, register_case):
    sham = _terminated(register_case, township_clerk, TerminationReason.SUSPECTED_COLLUSION)
    delay = _terminated(register_case, township_clerk, TerminationReason.DELIBERATE_DELAY)
    still_open = register_case(title="邻里纠纷")
    client.force_login(township_clerk)
    rows = {
        row[1]: row
        for row in page_rows(
            client.get(reverse("dataio:ledger", args=["handling"])).content.decode()
        )
    }
    assert "当事人涉嫌恶意串通、虚假调解" in rows[sham.number]
    assert "调解终止" in rows[sham.number]
    assert "当事人故意拖延" in rows[delay.number]
    assert not any("恶意串通" in cell or "拖延" in cell for cell in rows[still_open.number])
