"""Registers and subsidies: people by village within jurisdiction, ratings, 以案定补 and 星级奖补
computed from the rules as data, and the finance office's .xlsx."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import CaseOutcome, CaseStatus, RiskLevel
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError
from fengqiao.registers import selectors, services
from fengqiao.registers.models import Difficulty, RegisterPerson, RuleKind, SubsidyRule
from fengqiao.registers.subsidies import case_difficulty, subsidy_statement

pytestmark = pytest.mark.django_db


def draft(village, **kw):
    values = {
        "role": "legal_understander",
        "name": "周明",
        "village_code": village.code,
        "duties": "普法宣传、矛盾信息收集",
        "phone": "13712345678",
    }
    values.update(kw)
    return services.PersonDraft(**values)


def test_a_person_is_registered_for_a_village_with_the_phone_masked(township_clerk, tree):
    person = services.person_add(actor=township_clerk, draft=draft(tree.village))
    assert (person.village, person.phone_masked) == (tree.village, "137****5678")
    assert "13712345678" not in person.phone_encrypted
    assert list(selectors.people_list_for(actor=township_clerk)) == [person]


def test_outside_the_jurisdiction_nothing_is_registered(make_actor, tree):
    other = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    with pytest.raises(PermissionDeniedError):
        services.person_add(actor=other, draft=draft(tree.village))
    assert RegisterPerson.objects.count() == 0


def test_a_person_needs_a_village_and_duties(township_clerk, tree):
    with pytest.raises(InvalidInput) as error:
        services.person_add(
            actor=township_clerk, draft=draft(tree.township, duties="", phone="123")
        )
    assert set(error.value.errors) == {"village", "duties", "phone"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, Difficulty.SIMPLE),
        ({"people_count": 3}, Difficulty.ORDINARY),
        ({"amount": Decimal(20000)}, Difficulty.ORDINARY),
        ({"risk_level": RiskLevel.HIGH}, Difficulty.DIFFICULT),
        ({"is_mass": True}, Difficulty.DIFFICULT),
    ],
)
def test_difficulty_is_read_from_the_case(changes, expected):
    case = Case(**{"people_count": 2, "risk_level": RiskLevel.LOW, **changes})
    assert case_difficulty(case) == expected


@pytest.fixture
def rules(tree):
    for difficulty, amount in (("simple", 50), ("ordinary", 100), ("difficult", 300)):
        SubsidyRule.objects.create(
            region=tree.county,
            kind=RuleKind.PER_CASE,
            difficulty=difficulty,
            outcome=CaseOutcome.RESOLVED,
            amount=Decimal(amount),
        )
    SubsidyRule.objects.create(
        region=tree.county,
        kind=RuleKind.PER_CASE,
        difficulty="simple",
        outcome=CaseOutcome.TERMINATED,
        amount=Decimal(20),
    )
    SubsidyRule.objects.create(region=tree.county, kind=RuleKind.PER_STAR, amount=Decimal(40))
    SubsidyRule.objects.create(region=tree.county, kind=RuleKind.GOLD, amount=Decimal(200))


def conclude(case, assignee, outcome, **fields):
    fields.setdefault("risk_level", RiskLevel.LOW)  # repeated registrations raise the risk
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        outcome=outcome,
        assignee=assignee,
        status_changed_at=timezone.now(),
        **fields,
    )


def test_the_month_is_priced_from_the_rules(rules, register_case, township_clerk, make_actor, tree):
    mediator = make_actor(Role.MEDIATOR, tree.township_centre, username="tiaojie")
    conclude(register_case(), mediator, CaseOutcome.RESOLVED)  # simple: 50
    conclude(register_case(), mediator, CaseOutcome.RESOLVED, risk_level="high")  # 300
    conclude(register_case(), mediator, CaseOutcome.TERMINATED)  # 20
    conclude(register_case(), mediator, CaseOutcome.WITHDRAWN)  # no rule: 0, still counted
    services.rating_set(
        actor=township_clerk,
        mediator=mediator,
        year=timezone.localdate().year,
        stars=3,
        is_gold=True,
    )
    today = timezone.localdate()
    [line] = subsidy_statement(
        actor=township_clerk, region=tree.township, year=today.year, month=today.month
    )
    assert (line.mediator, line.cases, line.case_amount) == (mediator, 4, Decimal(370))
    assert (line.stars, line.star_amount, line.gold_amount) == (3, Decimal(120), Decimal(200))
    assert line.total == Decimal(690)


def test_a_region_outside_the_jurisdiction_has_no_statement(rules, make_actor, tree):
    other = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    today = timezone.localdate()
    assert (
        subsidy_statement(actor=other, region=tree.township, year=today.year, month=today.month)
        == []
    )


def test_ratings_are_one_to_five_and_only_within_the_jurisdiction(township_clerk, make_actor, tree):
    mediator = make_actor(Role.MEDIATOR, tree.other_township_centre)
    with pytest.raises(InvalidInput):
        services.rating_set(
            actor=township_clerk, mediator=mediator, year=2026, stars=3, is_gold=False
        )
    local = make_actor(Role.MEDIATOR, tree.village_committee)
    with pytest.raises(InvalidInput):
        services.rating_set(actor=township_clerk, mediator=local, year=2026, stars=6, is_gold=False)


def test_the_finance_office_gets_an_audited_xlsx(
    client, rules, register_case, township_clerk, make_actor, tree
):
    mediator = make_actor(Role.MEDIATOR, tree.township_centre, username="tiaojie")
    conclude(register_case(), mediator, CaseOutcome.RESOLVED)
    client.force_login(township_clerk)
    today = timezone.localdate()
    response = client.get(
        reverse("registers:subsidies"),
        {"region": tree.township.code, "year": today.year, "month": today.month, "format": "xlsx"},
    )
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "调解员"
    assert rows[2][1:3] == (1, 50)
    assert rows[-1][0] == "合计"
    assert AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).count() == 1


def test_the_pages_render(client, township_clerk, tree):
    client.force_login(township_clerk)
    assert client.get(reverse("registers:people")).status_code == 200
    response = client.post(
        reverse("registers:people"),
        {
            "role": "informant",
            "name": "李信",
            "village": tree.village.code,
            "duties": "每周报送矛盾信息",
        },
    )
    assert response.status_code == 302
    assert RegisterPerson.objects.get().role == "informant"
    assert client.get(reverse("registers:subsidies")).status_code == 200


def test_the_finance_sheet_has_amounts_as_numbers_in_yuan_and_a_frozen_filtered_header(
    client, rules, register_case, township_clerk, make_actor, tree
):
    """Issue #16: amounts had no number format, no frozen header or filter."""
    mediator = make_actor(Role.MEDIATOR, tree.township_centre, username="tiaojie")
    conclude(register_case(), mediator, CaseOutcome.RESOLVED)
    client.force_login(township_clerk)
    today = timezone.localdate()
    response = client.get(
        reverse("registers:subsidies"),
        {"region": tree.township.code, "year": today.year, "month": today.month, "format": "xlsx"},
    )
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    amount = sheet["C3"]
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 50, "#,##0.00")
    assert sheet["F3"].value == "否"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:H4"
