"""Issue #14 items 1–2: only the mediating body seals, with its own seal chosen by the system;
file numbers "（2026）X人调字第N号" per issuing body, year and series, never twice; a court
admits only mediation organisations; a mediator who declared a relationship with a party is not
assigned to the case nor seated at its session."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput
from fengqiao.mediation import numbers, services
from fengqiao.mediation.choices import NumberKind, SessionMode, SignatureRole
from fengqiao.mediation.models import FileNumber, Signature
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Mediator, MediatorConflict, Organisation
from fengqiao.routing.models import InvitedOrganisation

pytestmark = pytest.mark.django_db


def _handled_by(case: Case, org: Organisation) -> Case:
    Case.objects.filter(pk=case.pk).update(handling_org=org)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("where", ["justice_office", "township_centre"])
def test_a_justice_office_or_a_centre_cannot_seal_and_its_agreement_never_takes_effect(
    where, mediating, written_agreement, director, tree
):
    # given: the demo's 24 agreements sealed by 静河司法所 or the county 综治中心
    case = _handled_by(mediating(), getattr(tree, where))
    agreement = written_agreement(case)

    # when
    with pytest.raises(InvalidInput) as refused:
        services.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.SEAL,
            signer_name=getattr(tree, where).name,
            signed_on=timezone.localdate(),
        )

    # then
    assert "人民调解法第二十九条" in refused.value.errors["role"][0]
    assert not Signature.objects.filter(agreement=agreement, role=SignatureRole.SEAL).exists()
    assert "agreement" in services.agreement_errors(agreement)


def test_the_seal_is_the_committees_whatever_name_is_typed(
    mediating, written_agreement, director, township_committee
):
    case = mediating()
    agreement = written_agreement(case)
    seal = services.agreement_sign(
        actor=director,
        agreement_id=agreement.pk,
        role=SignatureRole.SEAL,
        signer_name="静河司法所",
        signed_on=timezone.localdate(),
    )
    assert seal.org == township_committee
    assert seal.signer_name == "静河镇人民调解委员会"


def test_a_seal_of_another_body_keeps_the_agreement_from_taking_effect(
    mediating, written_agreement, sign_all, director, tree
):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    # the case went to the village committee after the town's committee sealed
    _handled_by(case, tree.village_committee)
    agreement.refresh_from_db()
    errors = services.agreement_errors(agreement)
    assert any("静河镇人民调解委员会" in e for e in errors["signatures"])
    with pytest.raises(InvalidInput):
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)


def test_a_seal_row_must_name_its_organisation_in_the_database(
    mediating, written_agreement, township_committee
):
    agreement = written_agreement(mediating())
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            agreement=agreement,
            role=SignatureRole.SEAL,
            signer_name="静河司法所",
            signed_on=timezone.localdate(),
        )


def test_numbers_follow_the_issuing_committee_not_the_case_number(
    mediating, written_agreement, sign_all, director, tree, township_committee, village_mediator
):
    # given: two cases registered by different units, each the 1st of its unit's year, both
    # mediated by the town's committee (the finding: five "（2026）人调字第00004号" in one
    # committee, read off other units' case numbers)
    first = mediating()
    second = mediating(actor=village_mediator, org=tree.village_committee)
    assert first.number.endswith("-00001")
    assert second.number.endswith("-00001")

    # when both reach an agreement in force
    for case in (first, second):
        agreement = written_agreement(case)
        sign_all(agreement)
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)

    # then
    year = timezone.localdate().year
    texts = list(FileNumber.objects.order_by("sequence").values_list("text", flat=True))
    assert texts == [f"（{year}）静河镇人调字第1号", f"（{year}）静河镇人调字第2号"]
    assert {n.org for n in FileNumber.objects.all()} == {township_committee}


def test_a_case_keeps_its_number_and_another_body_numbers_its_own_series(
    mediating, tree, township_committee
):
    case = mediating()
    on = timezone.localdate()
    issued = numbers.file_number_issue(case=case, on=on)
    assert issued is not None
    assert numbers.file_number_issue(case=case, on=on) == issued
    other = _handled_by(mediating(), tree.village_committee)
    theirs = numbers.file_number_issue(case=other, on=on)
    assert theirs is not None
    assert (theirs.sequence, theirs.org) == (1, tree.village_committee)
    assert theirs.text == f"（{on.year}）静河村人调字第1号"
    assert (
        numbers.file_number_issue(case=_handled_by(mediating(), tree.justice_office), on=on) is None
    )


def test_an_administrative_body_numbers_its_own_series(mediating, tree):
    bureau = Organisation.objects.create(
        name="湘阴县自然资源局",
        kind=OrgKind.DEPARTMENT,
        region=tree.county,
        code="430624ZRJ",
        short_name="湘阴自然资源",
    )
    case = _handled_by(mediating(), bureau)
    issued = numbers.file_number_issue(case=case, on=timezone.localdate())
    assert issued is not None
    assert issued.kind == NumberKind.ADMINISTRATIVE
    assert "湘阴自然资源行调字第1号" in issued.text


def test_the_database_refuses_a_number_issued_twice(mediating, township_committee):
    on = timezone.localdate()
    issued = numbers.file_number_issue(case=mediating(), on=on)
    assert issued is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        FileNumber.objects.create(
            case=mediating(),
            org=township_committee,
            year=on.year,
            kind=issued.kind,
            sequence=issued.sequence,
            text=issued.text + "（重）",
        )


def test_a_court_admits_only_mediation_organisations(tree, township_committee):
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    for org in (tree.justice_office, tree.township_centre):
        with pytest.raises(ValidationError):
            InvitedOrganisation(court=court, org=org).full_clean()
    InvitedOrganisation(court=court, org=township_committee).full_clean()


def test_a_court_case_is_sealed_only_by_an_organisation_the_court_admitted(
    mediating, written_agreement, director, tree, township_committee
):
    court = Organisation.objects.create(
        name="湘阴县人民法院", kind=OrgKind.COURT, region=tree.county, code="430624FY"
    )
    InvitedOrganisation.objects.create(court=court, org=tree.village_committee)
    case = mediating(channel="court", source_ref="（2026）湘0624民诉前调1号")
    Case.objects.filter(pk=case.pk).update(registering_org=court)
    agreement = written_agreement(case)
    with pytest.raises(InvalidInput) as refused:
        services.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.SEAL,
            signed_on=timezone.localdate(),
        )
    assert "特邀调解规定" in refused.value.errors["role"][0]


def _conflicted_mediator(make_actor, org: Organisation, person: str):
    user = make_actor(Role.MEDIATOR, org)
    entry = Mediator.objects.create(name=user.full_name, kind="part_time", org=org, user=user)
    MediatorConflict.objects.create(
        mediator=entry,
        person_name=person,
        relationship="表兄弟",
        declared_on=timezone.localdate(),
    )
    return user, entry


def test_a_mediator_who_declared_a_relationship_with_a_party_is_not_assigned(
    register_case, township_clerk, make_actor, tree
):
    case = register_case()
    case_transition(actor=township_clerk, case_id=case.pk, name="accept", action=ActionInput())
    user, _entry = _conflicted_mediator(make_actor, tree.village_committee, "张三")
    with pytest.raises(InvalidInput) as refused:
        case_transition(
            actor=township_clerk,
            case_id=case.pk,
            name="assign",
            action=ActionInput(
                org_id=tree.village_committee.pk,
                assignee_id=user.pk,
                due_date=timezone.localdate() + timedelta(days=10),
            ),
        )
    assert "张三" in refused.value.errors["assignee_id"][0]
    case.refresh_from_db()
    assert case.assignee is None


def test_a_conflicted_mediator_is_not_seated_at_a_session(
    mediating, director, make_actor, township_committee
):
    case = mediating(prepared=False)
    _user, entry = _conflicted_mediator(make_actor, township_committee, "李四")
    with pytest.raises(InvalidInput) as refused:
        services.session_record(
            actor=director,
            case_id=case.pk,
            held_at=timezone.now(),
            mode=SessionMode.ONLINE,
            mediator_ids=[entry.pk],
            record_text="双方陈述。",
        )
    assert "李四" in refused.value.errors["mediator_ids"][0]
    assert not case.sessions.exists()
