"""A case in mediation at the township centre, its director (who may mediate, close and reopen)
and a mediator of the neighbouring township (outside the jurisdiction)."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import complete_particulars
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import AgreementForm, CaseStatus
from fengqiao.cases.models import Case
from fengqiao.mediation import services
from fengqiao.mediation.choices import SessionMode, SignatureRole
from fengqiao.mediation.models import Agreement
from fengqiao.orgs.models import Mediator, Organisation


@pytest.fixture
def director(township_clerk) -> User:
    return township_clerk


@pytest.fixture
def outsider(make_actor, tree) -> User:
    return make_actor(Role.MEDIATOR, tree.other_township_centre, username="outsider")


@pytest.fixture
def mediating(register_case, director, township_committee) -> Callable[..., Case]:
    """A registered case put straight into MEDIATING at the township's committee (the steps
    before are the cases app's)."""

    def make(*, prepared: bool = True, **overrides: object) -> Case:
        """``prepared``: the parties told their rights and a session held, as an agreement
        needs (issue #14)."""
        case = register_case(**overrides)
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.MEDIATING, assignee=director, handling_org=township_committee
        )
        complete_particulars(case, director)
        case.refresh_from_db()
        if prepared:
            prepare_mediation(case, director, township_committee)
        return case

    return make


def prepare_mediation(case: Case, director: User, committee: Organisation) -> None:
    """What an agreement comes out of (issue #14): every party told their rights and duties,
    and a session a mediator presided over."""
    for party in case.parties.all():
        services.rights_notify(
            actor=director,
            case_id=case.pk,
            party_id=party.pk,
            notified_on=timezone.localdate(),
            acknowledged=True,
        )
    mediator, _created = Mediator.objects.get_or_create(
        name="王调解", org=committee, defaults={"kind": "full_time"}
    )
    services.session_record(
        actor=director,
        case_id=case.pk,
        held_at=timezone.now() - timedelta(hours=1),
        mode=SessionMode.IN_PERSON,
        place="静河镇人民调解委员会调解室",
        mediator_ids=[mediator.pk],
        record_text="调解员告知双方权利义务，双方陈述后同意协商。",
    )


def complete_terms(today: date) -> list[services.TermDraft]:
    return [
        services.TermDraft(
            content="李四向张三支付补偿款5000元",
            obligor="李四",
            manner="银行转账",
            place="静河村村委会",
            due_on=today + timedelta(days=40),
        )
    ]


@pytest.fixture
def written_agreement(director) -> Callable[[Case], Agreement]:
    """A complete written agreement, not yet signed."""

    def make(case: Case) -> Agreement:
        return services.agreement_save(
            actor=director,
            case_id=case.pk,
            form=AgreementForm.WRITTEN,
            parties_particulars="张三，男，静河村村民；李四，男，静河村村民",
            facts="双方因宅基地边界发生争执",
            issues="边界围墙位置",
            responsibilities="李四越界砌墙，负主要责任",
            terms=complete_terms(timezone.localdate()),
        )

    return make


@pytest.fixture
def sign_all(director) -> Callable[[Agreement], None]:
    def sign(agreement: Agreement, on: date | None = None) -> None:
        on = on or timezone.localdate()
        for party in agreement.case.parties.all():
            services.agreement_sign(
                actor=director,
                agreement_id=agreement.pk,
                role=SignatureRole.PARTY,
                party_id=party.pk,
                signed_on=on,
            )
        services.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.MEDIATOR,
            signer_name="王调解",
            signed_on=on,
        )
        services.agreement_sign(
            actor=director, agreement_id=agreement.pk, role=SignatureRole.SEAL, signed_on=on
        )

    return sign
