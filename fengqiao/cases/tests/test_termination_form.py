"""The termination form offers the grounds of concealment, deliberate delay and suspected
collusion in Chinese, says what happens to a suspected 虚假调解, and the page terminates on them."""

import pytest
from django.urls import reverse
from django.utils import translation

from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseOutcome, CaseStatus, TerminationReason
from fengqiao.cases.forms import ActionForm
from fengqiao.cases.models import Case

pytestmark = pytest.mark.django_db


def _mediating(register_case, clerk) -> Case:
    case = register_case()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=clerk)
    case.refresh_from_db()
    return case


def test_the_form_offers_the_three_grounds_in_chinese(register_case, township_clerk):
    case = _mediating(register_case, township_clerk)
    with translation.override("zh-hans"):
        form = ActionForm(transition=workflow.get("terminate"), case=case, actor=township_clerk)
        field = form[workflow.TERMINATION_REASON]
        labels = {value: str(label) for value, label in field.field.choices}
        help_text = str(field.help_text)
    assert labels[TerminationReason.CONCEALMENT] == "当事人隐瞒重要事实、提供虚假材料"
    assert labels[TerminationReason.DELIBERATE_DELAY] == "当事人故意拖延"
    assert labels[TerminationReason.SUSPECTED_COLLUSION] == "当事人涉嫌恶意串通、虚假调解"
    assert "虚假调解" in help_text
    assert "司法所" in help_text


def test_the_page_terminates_on_suspected_collusion(client, register_case, township_clerk):
    case = _mediating(register_case, township_clerk)
    client.force_login(township_clerk)
    response = client.post(
        reverse("cases:transition", args=[case.pk, "terminate"]),
        {
            "termination_reason": TerminationReason.SUSPECTED_COLLUSION,
            "note": "双方虚构债务，意图转移财产",
        },
    )
    assert response.status_code in (200, 204, 302)
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.TERMINATED
    assert case.events.filter(data__referral="suspected_sham_mediation").exists()
