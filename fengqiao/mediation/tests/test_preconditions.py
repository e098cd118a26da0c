"""Issue #14 item 4: a session is presided over by a mediator; an agreement takes effect only
after every party was told their rights and duties (若干规定 art.30) and a session was held."""

import pytest
from django.utils import timezone

from fengqiao.core.exceptions import InvalidInput
from fengqiao.mediation import services
from fengqiao.mediation.choices import SessionMode
from fengqiao.mediation.models import RightsNotice, Session
from fengqiao.orgs.models import Mediator

pytestmark = pytest.mark.django_db


def test_a_session_with_no_mediator_is_refused(mediating, director):
    case = mediating(prepared=False)
    with pytest.raises(InvalidInput) as refused:
        services.session_record(
            actor=director,
            case_id=case.pk,
            held_at=timezone.now(),
            mode=SessionMode.ONLINE,
            record_text="双方陈述。",
        )
    assert "mediator_ids" in refused.value.errors
    assert not Session.objects.filter(case=case).exists()


def test_an_agreement_without_rights_notice_or_session_does_not_take_effect(
    mediating, written_agreement, sign_all, director, township_committee
):
    case = mediating()
    RightsNotice.objects.filter(case=case).delete()
    Session.objects.filter(case=case).delete()
    agreement = written_agreement(case)
    sign_all(agreement)
    with pytest.raises(InvalidInput) as refused:
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    reasons = " ".join(refused.value.errors["agreement"])
    assert "张三" in reasons
    assert "第三十条" in reasons
    agreement.refresh_from_db()
    assert agreement.effective_on is None

    # once told and heard, the same agreement takes effect
    for party in case.parties.all():
        services.rights_notify(
            actor=director,
            case_id=case.pk,
            party_id=party.pk,
            notified_on=timezone.localdate(),
            acknowledged=True,
        )
    mediator = Mediator.objects.create(name="王调解", kind="full_time", org=township_committee)
    services.session_record(
        actor=director,
        case_id=case.pk,
        held_at=timezone.now(),
        mode=SessionMode.ONLINE,
        mediator_ids=[mediator.pk],
        record_text="双方陈述后同意协商。",
    )
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.effective_on is not None
