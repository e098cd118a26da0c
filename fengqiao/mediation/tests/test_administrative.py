"""行政调解 end to end: a case the county centre assigns to an administrative department is
numbered in the department's own 行调字 series when it takes the case up, its agreement bears the
department's seal (chosen by the system), and the department's case number series never mixes
with a 人民调解委员会's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import complete_particulars
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import AgreementForm, CaseOutcome, PartiesConsent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.mediation import services
from fengqiao.mediation.choices import NumberKind, SignatureRole
from fengqiao.mediation.models import FileNumber, Signature
from fengqiao.mediation.tests.conftest import complete_terms, prepare_mediation
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(tree) -> Organisation:
    return Organisation.objects.create(
        name="湘阴县自然资源局",
        kind=OrgKind.DEPARTMENT,
        region=tree.county,
        code="430624ZRJ",
        short_name="湘阴自然资源",
    )


def test_a_department_numbers_in_its_own_series_and_seals_its_agreement(
    register_case, make_actor, tree, bureau
):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    officer = make_actor(Role.MEDIATOR, bureau)
    case = register_case(actor=director, org=tree.county_centre, title="土地承包经营权纠纷")
    case_transition(
        actor=director,
        case_id=case.pk,
        name="accept",
        action=ActionInput(parties_consent=PartiesConsent.CONSENTED),
    )
    case_transition(
        actor=director,
        case_id=case.pk,
        name="assign",
        action=ActionInput(
            org_id=bureau.pk,
            assignee_id=officer.pk,
            due_date=timezone.localdate() + timedelta(days=20),
        ),
    )
    case_transition(actor=officer, case_id=case.pk, name="start_mediation")
    [number] = FileNumber.objects.filter(case=case)
    year = timezone.localdate().year
    assert (number.org, number.kind) == (bureau, NumberKind.ADMINISTRATIVE)
    assert number.text == f"（{year}）湘阴自然资源行调字第1号"

    case.refresh_from_db()
    complete_particulars(case, officer)
    prepare_mediation(case, officer, bureau)
    agreement = services.agreement_save(
        actor=officer,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        parties_particulars="张三；李四",
        facts="双方因承包地边界发生争执",
        issues="边界位置",
        responsibilities="李四越界耕种，负主要责任",
        terms=complete_terms(timezone.localdate()),
    )
    today = timezone.localdate()
    for party in case.parties.all():
        services.agreement_sign(
            actor=officer,
            agreement_id=agreement.pk,
            role=SignatureRole.PARTY,
            party_id=party.pk,
            signed_on=today,
        )
    services.agreement_sign(
        actor=officer,
        agreement_id=agreement.pk,
        role=SignatureRole.MEDIATOR,
        signer_name="王调解",
        signed_on=today,
    )
    services.agreement_sign(
        actor=officer,
        agreement_id=agreement.pk,
        role=SignatureRole.SEAL,
        signer_name="随便填的名字",  # never taken: the seal is the system's choice
        signed_on=today,
    )
    seal = Signature.objects.get(agreement=agreement, role=SignatureRole.SEAL)
    assert (seal.org, seal.signer_name) == (bureau, "湘阴县自然资源局")
    services.agreement_make_effective(actor=officer, agreement_id=agreement.pk)
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.RESOLVED
    assert not FileNumber.objects.filter(kind=NumberKind.PEOPLES).exists()
