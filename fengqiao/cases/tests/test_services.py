"""Registration, personal-data protection, jurisdiction and overdue marking, through the
services."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import draft_for
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import ledger, selectors, workflow
from fengqiao.cases.choices import CaseStatus, EventKind, PartyRole
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.cases.selectors import CaseFilters
from fengqiao.cases.services import (
    ActionInput,
    PartyDraft,
    case_register,
    case_transition,
    cases_mark_overdue,
    party_reveal,
)
from fengqiao.core import crypto
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_registration_numbers_the_case_and_opens_its_timeline(register_case, tree):
    first, second = register_case(), register_case()
    year = timezone.localdate().year
    assert first.number == f"430624122ZZ-{year}-00001"
    assert second.number == f"430624122ZZ-{year}-00002"
    assert (first.status, first.handling_org, first.place_prefix) == (
        CaseStatus.REGISTERED,
        tree.township_centre,
        "430624122201",
    )
    event = CaseEvent.objects.get(case=first)
    assert (event.seq, event.kind, event.data["channel"]) == (1, EventKind.REGISTERED, "walk_in")
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.CASE_REGISTERED, target_id=str(first.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"category": "nonsense"}, "category"),
        ({"subcategory": "labour.wage_arrears"}, "subcategory"),  # belongs to another category
        ({"region": "999999999999"}, "region"),
        ({"amount": -1}, "amount"),
        ({"people_count": 0}, "people_count"),
        ({"risk_level": "apocalyptic"}, "risk_level"),
        ({"parties": ()}, "parties"),
        (
            {
                "parties": (
                    PartyDraft(role="applicant", name="王五", id_number="430624199001011234"),
                )
            },
            "parties.0.id_number",
        ),
        (
            {"parties": (PartyDraft(role="applicant", name="王五", phone="12345"),)},
            "parties.0.phone",
        ),
        ({"parties": (PartyDraft(role="judge", name=""),)}, "parties.0.name"),
    ],
)
def test_bad_input_gives_field_errors_and_stores_nothing(overrides, field, tree, township_clerk):
    counts = (
        Case.objects.count(),
        Party.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(InvalidInput) as raised:
        case_register(
            actor=township_clerk,
            draft=replace(draft_for(tree.township_centre, tree.village), **overrides),
        )
    assert field in raised.value.errors
    assert counts == (
        Case.objects.count(),
        Party.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_place_outside_the_jurisdiction_is_refused(tree, village_mediator):
    with pytest.raises(InvalidInput) as raised:
        case_register(
            actor=village_mediator, draft=draft_for(tree.village_committee, tree.other_village)
        )
    assert set(raised.value.errors) == {"region"}


def test_an_organisation_the_actor_does_not_work_for_is_refused(tree, village_mediator):
    with pytest.raises(InvalidInput) as raised:
        case_register(actor=village_mediator, draft=draft_for(tree.township_centre, tree.village))
    assert "org_id" in raised.value.errors


def test_personal_data_is_encrypted_at_rest_masked_and_found_by_blind_index(register_case):
    case = register_case()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_party WHERE case_id = %s", [case.pk])
        raw = repr(cursor.fetchall())
    assert "430624199001011233" not in raw
    assert "13800138000" not in raw
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    assert (applicant.id_number_masked, applicant.phone_masked) == (
        "4306**********1233",
        "138****8000",
    )
    wanted = crypto.blind_index(crypto.normalise_phone("+86 138-0013-8000"), context="phone")
    assert Party.objects.filter(phone_index=wanted).get() == applicant


def test_revealing_personal_data_needs_the_right_and_a_reason_and_is_audited(
    register_case, tree, make_actor, township_clerk
):
    case = register_case()
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    reader = make_actor(Role.READ_ONLY, tree.township_centre)
    with pytest.raises(PermissionDeniedError):
        party_reveal(actor=reader, case_id=case.pk, party_id=applicant.pk, reason="核实身份")
    with pytest.raises(InvalidInput):
        party_reveal(actor=township_clerk, case_id=case.pk, party_id=applicant.pk, reason=" ")
    assert not AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED).exists()

    shown = party_reveal(
        actor=township_clerk, case_id=case.pk, party_id=applicant.pk, reason="核实身份"
    )
    assert (shown["id_number"], shown["phone"]) == ("430624199001011233", "13800138000")
    assert (shown["gender"], shown["birth_date"]) == ("male", "1990-01-01")  # from the number
    entry = AuditEntry.objects.get(action=AuditAction.PARTY_PII_VIEWED)
    assert (entry.actor, entry.extra["reason"]) == (township_clerk, "核实身份")


def test_a_case_outside_the_jurisdiction_is_not_found(register_case, tree, make_actor):
    case = register_case()
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    neighbour = make_actor(Role.MEDIATOR, tree.other_village_committee)
    for actor in (outsider, neighbour):
        with pytest.raises(NotFound):
            selectors.case_get_for(actor=actor, case_id=case.pk)
        with pytest.raises(NotFound):
            case_transition(actor=actor, case_id=case.pk, name="accept")
        assert not selectors.case_list_for(actor=actor).exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_village_keeps_sight_of_an_escalated_case_but_cannot_act(register_case, tree, make_actor):
    village_head = make_actor(Role.CENTRE_DIRECTOR, tree.village_committee)
    case = register_case(actor=village_head, org=tree.village_committee)
    case_transition(
        actor=village_head,
        case_id=case.pk,
        name="escalate",
        action=ActionInput(org_id=tree.township_centre.pk, note="涉及多户，村级难以化解"),
    )
    township = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    case_transition(actor=township, case_id=case.pk, name="accept_transfer")
    seen = selectors.case_get_for(actor=village_head, case_id=case.pk)
    assert seen.handling_org == tree.township_centre
    assert [
        t.name for t, blockers in workflow.available(seen, actor=village_head) if not blockers
    ] == []


def test_transfer_and_return_restore_the_sender(register_case, tree, township_clerk, make_actor):
    case = register_case()
    case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    case_transition(
        actor=township_clerk,
        case_id=case.pk,
        name="transfer",
        action=ActionInput(org_id=tree.medical_committee.pk, note="医疗纠纷，移交县医调委"),
    )
    county = make_actor(Role.INTAKE_CLERK, tree.medical_committee)
    returned = case_transition(
        actor=county,
        case_id=case.pk,
        name="return_transfer",
        action=ActionInput(note="不属于医疗纠纷"),
    )
    assert (returned.status, returned.handling_org, returned.transfer_from) == (
        CaseStatus.ACCEPTED,
        tree.township_centre,
        None,
    )


def test_overdue_cases_are_marked_once_with_an_event(register_case, township_clerk):
    late, on_time = register_case(), register_case()
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    closed = register_case()
    Case.objects.filter(pk=closed.pk).update(
        due_date=timezone.localdate() - timedelta(days=3),
        outcome="declined",
        status=CaseStatus.DECLINED,
    )
    assert cases_mark_overdue(actor=system_actor()) == 1
    assert cases_mark_overdue(actor=system_actor()) == 0
    late.refresh_from_db()
    assert late.overdue_since is not None
    assert (
        CaseEvent.objects.filter(case=late, kind=EventKind.MARKED_OVERDUE).get().data["days_late"]
        == 3
    )
    assert not CaseEvent.objects.filter(
        case__in=[on_time, closed], kind=EventKind.MARKED_OVERDUE
    ).exists()
    assert list(ledger.verify()) == []


def test_todo_lists_overdue_first(register_case, township_clerk):
    soon, late, later = (
        register_case(title="甲"),
        register_case(title="乙"),
        register_case(title="丙"),
    )
    today = timezone.localdate()
    for case, days in ((soon, 2), (late, -1), (later, 20)):
        Case.objects.filter(pk=case.pk).update(due_date=today + timedelta(days=days))
    assert [c.title for c in selectors.todo_for(actor=township_clerk)] == ["乙", "甲", "丙"]


@pytest.mark.parametrize("text", ["宅基地边界", "边界", "地", "ZZ-"])
def test_search_finds_chinese_of_any_length_and_case_numbers(text, register_case, township_clerk):
    hit = register_case(title="宅基地边界纠纷")
    register_case(title="拖欠工资", description="某公司拖欠农民工工资三个月。")
    found = selectors.case_list_for(
        actor=township_clerk, filters=CaseFilters(text=text if text != "ZZ-" else hit.number)
    )
    assert list(found) == [hit]
