"""Risk signals at registration: each flag with its explanation, the level raised and never
lowered, repeated conflict found by blind index, the reasons on the timeline and in the audit."""

import pytest
from django.utils import timezone

from conftest import draft_for
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import EventKind, PartyRole, RiskLevel
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.services import PartyDraft
from fengqiao.intake import risk
from fengqiao.intake.pipeline import register_dispute

pytestmark = pytest.mark.django_db


def flags(case) -> dict[str, list[str]]:
    event = CaseEvent.objects.filter(case=case, kind=EventKind.RISK_FLAGGED).first()
    return {"_": event.data["reasons"]} if event else {}


def test_threats_flag_a_criminal_risk_and_raise_the_level(register_case):
    case = register_case(description="李四扬言要拿刀砍人，双方矛盾激化")
    case.refresh_from_db()
    assert case.is_criminal_risk
    assert case.risk_level == RiskLevel.HIGH
    reasons = flags(case)["_"]
    assert any("刀" in r and "砍" in r for r in reasons)
    assert AuditEntry.objects.filter(action=AuditAction.CASE_RECORDED).exists()


def test_many_people_or_collective_words_flag_a_mass_risk(register_case):
    crowd = register_case(description="村民对补偿不满", people_count=25)
    words = register_case(description="十几户村民准备联名上访并堵路")
    for case in (crowd, words):
        case.refresh_from_db()
        assert case.is_mass
    assert any("25" in r for r in flags(crowd)["_"])
    assert any("联名" in r for r in flags(words)["_"])


def test_self_harm_threats_flag_an_extreme_risk(register_case):
    case = register_case(description="讨薪无果，当事人称要去跳楼")
    case.refresh_from_db()
    assert case.is_extreme
    assert case.risk_level == RiskLevel.HIGH


def test_a_quiet_dispute_is_left_as_the_person_set_it(register_case):
    case = register_case(description="两户因排水沟清理分工有分歧", risk_level=RiskLevel.MEDIUM)
    case.refresh_from_db()
    assert (case.risk_level, case.is_criminal_risk, case.is_mass) == (
        RiskLevel.MEDIUM,
        False,
        False,
    )
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.RISK_FLAGGED).exists()


def test_a_sensitive_period_raises_but_never_lowers(register_case, settings):
    today = timezone.localdate().strftime("%m-%d")
    settings.FENGQIAO_SENSITIVE_PERIODS = [("换届选举", today, today)]
    medium = register_case(description="两户因排水沟清理分工有分歧")
    high = register_case(description="两户因排水沟清理分工有分歧", risk_level=RiskLevel.HIGH)
    medium.refresh_from_db()
    high.refresh_from_db()
    assert medium.risk_level == RiskLevel.MEDIUM
    assert high.risk_level == RiskLevel.HIGH  # a person's higher choice stays
    assert any("换届选举" in r for r in flags(medium)["_"])


def test_the_same_parties_again_is_a_repeated_conflict_by_blind_index(
    register_case, tree, township_clerk
):
    first = register_case(description="两户因宅基地边界发生争执")
    again = register_dispute(
        actor=township_clerk,
        draft=draft_for(
            tree.township_centre,
            tree.other_village,
            description="同一两户再次因边界问题争吵",
            parties=(
                PartyDraft(
                    role=PartyRole.APPLICANT, name="张三改名", id_number="430624199001011233"
                ),
                PartyDraft(role=PartyRole.RESPONDENT, name="王五"),
            ),
        ),
    ).case
    again.refresh_from_db()
    assert again.is_criminal_risk
    assert any(first.number in r for r in flags(again)["_"])
    assert risk.repeated_conflict(first) == []  # nothing before the first
