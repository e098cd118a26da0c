"""Agreements: the art.29 checklist, signatures and seal, the record_agreement guard, the 30-day
司法确认 window and the 民诉法解释 art.355 warnings."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fengqiao.cases.choices import AgreementForm, CaseStatus, EventKind
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked
from fengqiao.mediation import rules, services
from fengqiao.mediation.choices import Ruling, SignatureRole
from fengqiao.mediation.models import Agreement, FollowUp

pytestmark = pytest.mark.django_db


def test_record_agreement_is_blocked_until_an_agreement_is_in_force(mediating, director):
    case = mediating()
    with pytest.raises(TransitionBlocked) as blocked:
        case_transition(
            actor=director,
            case_id=case.pk,
            name="record_agreement",
            action=ActionInput(agreement_form=AgreementForm.WRITTEN, note="达成协议"),
        )
    assert "尚无生效的调解协议（人民调解法第二十九、三十条）。" in blocked.value.reasons
    case.refresh_from_db()
    assert case.status == CaseStatus.MEDIATING


def test_an_incomplete_agreement_cannot_take_effect(mediating, director, sign_all):
    case = mediating()
    agreement = services.agreement_save(
        actor=director, case_id=case.pk, form=AgreementForm.WRITTEN, facts="双方争执"
    )
    with pytest.raises(InvalidInput) as invalid:
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    errors = invalid.value.errors
    # the parties' particulars are recorded (the fixture did): the agreement's own text about
    # them is optional, the art.29 check reads the recorded ones (test_particulars_rule)
    assert {"issues", "responsibilities", "terms", "signatures"} <= set(errors)
    assert "parties_particulars" not in errors
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.effective_on is None
    assert case.status == CaseStatus.MEDIATING
    assert not case.events.filter(kind=EventKind.AGREEMENT_EFFECTIVE).exists()


def test_a_term_without_manner_place_or_deadline_is_named(mediating, director):
    case = mediating()
    agreement = services.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        parties_particulars="张三；李四",
        facts="事实",
        issues="争议",
        responsibilities="责任",
        terms=[services.TermDraft(content="李四赔偿张三500元")],
    )
    errors = rules.agreement_content_errors(agreement)
    assert len(errors["terms.1"]) == 3


def test_missing_seal_keeps_it_out_of_force(mediating, director, written_agreement):
    case = mediating()
    agreement = written_agreement(case)
    today = timezone.localdate()
    for party in case.parties.all():
        services.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.PARTY,
            party_id=party.pk,
            signed_on=today,
        )
    services.agreement_sign(
        actor=director,
        agreement_id=agreement.pk,
        role=SignatureRole.MEDIATOR,
        signer_name="王调解",
        signed_on=today,
    )
    with pytest.raises(InvalidInput) as invalid:
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    assert set(invalid.value.errors) == {"signatures"}


def test_signed_and_sealed_agreement_takes_effect_and_resolves_the_case(
    mediating, director, written_agreement, sign_all
):
    case = mediating()
    agreement = written_agreement(case)
    signed = timezone.localdate() - timedelta(days=1)
    sign_all(agreement, signed)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    case.refresh_from_db()
    assert agreement.effective_on == signed  # art.29: the day the last signature/seal was put
    assert case.status == CaseStatus.RESOLVED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.AGREEMENT_SIGNED) == 4
    assert EventKind.AGREEMENT_EFFECTIVE in kinds
    visits = sorted(FollowUp.objects.filter(case=case).values_list("due_on", flat=True))
    term_due = agreement.terms.get().due_on
    assert visits == sorted([signed + timedelta(days=15), term_due - timedelta(days=3)])


def test_an_oral_agreement_is_in_force_the_day_it_is_reached(mediating, director):
    case = mediating()
    reached = timezone.localdate()
    agreement = services.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.ORAL,
        oral_record="李四当场向张三道歉，双方和好",
        reached_on=reached,
    )
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.effective_on == reached


@pytest.mark.parametrize(
    ("effective", "deadline"),
    [
        (date(2026, 12, 15), date(2027, 1, 14)),
        (date(2027, 1, 31), date(2027, 3, 2)),
        (date(2028, 1, 31), date(2028, 3, 1)),  # leap year
        (date(2026, 12, 31), date(2027, 1, 30)),
        (date(2026, 2, 1), date(2026, 3, 3)),
    ],
)
def test_confirmation_deadline_is_thirty_calendar_days(effective, deadline):
    assert rules.confirmation_deadline(effective) == deadline


def test_application_after_the_deadline_is_refused_and_in_time_is_recorded(
    mediating, director, written_agreement, sign_all
):
    case = mediating()
    agreement = written_agreement(case)
    signed = timezone.localdate() - timedelta(days=31)
    sign_all(agreement, signed)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    with pytest.raises(InvalidInput) as invalid:
        services.confirmation_file(
            actor=director,
            agreement_id=agreement.pk,
            court="湘阴县人民法院",
            applied_on=signed + timedelta(days=31),
        )
    assert "applied_on" in invalid.value.errors
    agreement.refresh_from_db()
    assert agreement.confirmation_applied_on is None
    services.confirmation_file(
        actor=director,
        agreement_id=agreement.pk,
        court="湘阴县人民法院",
        applied_on=signed + timedelta(days=30),
    )
    services.confirmation_rule(
        actor=director,
        agreement_id=agreement.pk,
        ruling=Ruling.VALID,
        ruled_on=signed + timedelta(days=31),
    )
    agreement.refresh_from_db()
    assert agreement.confirmation_ruling == Ruling.VALID
    kinds = set(case.events.values_list("kind", flat=True))
    assert {EventKind.CONFIRMATION_FILED, EventKind.CONFIRMATION_RULED} <= kinds


def test_reminder_lists_agreements_near_their_deadline(
    mediating, director, written_agreement, sign_all
):
    from fengqiao.mediation.selectors import confirmation_due

    case = mediating()
    agreement = written_agreement(case)
    today = timezone.localdate()
    sign_all(agreement, today - timedelta(days=25))
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    assert list(confirmation_due(today)) == [Agreement.objects.get(pk=agreement.pk)]
    assert list(confirmation_due(today - timedelta(days=10))) == []


def test_status_and_ownership_agreements_are_flagged(
    mediating, director, written_agreement, sign_all
):
    case = mediating(subcategory="housing_homestead.house_ownership")
    agreement = written_agreement(case)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.not_confirmable == ["ownership"]
    assert rules.not_confirmable_grounds("contract.loan", ["双方协议离婚，子女由女方抚养"]) == [
        "status"
    ]
    assert rules.not_confirmable_grounds("contract.loan", ["李四还款3000元"]) == []
