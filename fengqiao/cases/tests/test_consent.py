"""人民调解法 art.17 at acceptance (issue #14 item 4): the parties' consent or refusal is captured
on the timeline; a clear refusal is not accepted for mediation."""

import pytest
from django.urls import reverse

from fengqiao.cases.choices import CaseStatus, EventKind, PartiesConsent
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput

pytestmark = pytest.mark.django_db


def _accepted_events(case):
    return CaseEvent.objects.filter(
        case=case, kind=EventKind.TRANSITIONED, data__transition="accept"
    )


def test_a_clear_refusal_is_not_accepted_and_nothing_is_written(register_case, township_clerk):
    case = register_case()
    with pytest.raises(InvalidInput) as refused:
        case_transition(
            actor=township_clerk,
            case_id=case.pk,
            name="accept",
            action=ActionInput(parties_consent=PartiesConsent.REFUSED),
        )
    assert "第十七条" in refused.value.errors["parties_consent"][0]
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not _accepted_events(case).exists()


def test_consent_is_recorded_on_the_timeline(register_case, township_clerk):
    case = register_case()
    case_transition(
        actor=township_clerk,
        case_id=case.pk,
        name="accept",
        action=ActionInput(parties_consent=PartiesConsent.CONSENTED),
    )
    assert _accepted_events(case).get().data["parties_consent"] == "consented"


def test_the_accept_form_asks_for_the_parties_answer(register_case, township_clerk, client):
    case = register_case()
    client.force_login(township_clerk)
    url = reverse("cases:transition", args=[case.pk, "accept"])
    panel = client.get(reverse("cases:actions", args=[case.pk])).content.decode()
    assert 'name="parties_consent"' in panel
    refused = client.post(url, {"note": "", "parties_consent": "refused"})
    assert refused.status_code == 422
    assert "第十七条" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    client.post(url, {"note": "", "parties_consent": "consented"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert _accepted_events(case).get().data["parties_consent"] == "consented"
