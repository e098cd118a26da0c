"""人民调解法 art.29: a written agreement states the parties' particulars. The check once passed
with bare names (issue #14); it now names each party and what it lacks."""

import pytest
from django.utils import timezone

from fengqiao.cases.choices import AgreementForm, CaseStatus
from fengqiao.cases.models import Case
from fengqiao.cases.party_services import ParticularsDraft, party_particulars_record
from fengqiao.core.exceptions import InvalidInput
from fengqiao.mediation import rules, services
from fengqiao.mediation.tests.conftest import complete_terms, prepare_mediation

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_names_case(register_case, director, township_committee) -> Case:
    """In mediation at the committee with the parties as intake left them: names, one ID
    number, phones; told their rights and heard at a session (issue #14)."""
    case = register_case()
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.MEDIATING, assignee=director, handling_org=township_committee
    )
    case.refresh_from_db()
    prepare_mediation(case, director, township_committee)
    return case


def _agreement(case, director):
    return services.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        parties_particulars="张三；李四",
        facts="双方因宅基地边界发生争执",
        issues="边界围墙位置",
        responsibilities="李四越界砌墙，负主要责任",
        terms=complete_terms(timezone.localdate()),
    )


def test_bare_names_no_longer_pass_the_art29_check(bare_names_case, director):
    errors = rules.agreement_content_errors(_agreement(bare_names_case, director))
    assert errors["parties_particulars"] == [
        "当事人张三缺少：民族、职业或工作单位、住址（人民调解法第二十九条）。",
        "当事人李四缺少：性别、民族、出生日期、职业或工作单位、住址、证件类型与号码"
        "（人民调解法第二十九条）。",
    ]


def test_an_agreement_with_a_party_lacking_particulars_cannot_take_effect(
    bare_names_case, director, sign_all
):
    case = bare_names_case
    zhang = case.parties.get(name="张三")
    party_particulars_record(
        actor=director,
        case_id=case.pk,
        party_id=zhang.pk,
        draft=ParticularsDraft(ethnicity="汉族", occupation="农民", address="静河村三组12号"),
    )
    agreement = _agreement(case, director)
    sign_all(agreement)
    with pytest.raises(InvalidInput) as refused:
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    assert set(refused.value.errors) == {"parties_particulars"}
    (message,) = refused.value.errors["parties_particulars"]
    assert message.startswith("当事人李四缺少：性别")
    agreement.refresh_from_db()
    assert agreement.effective_on is None


def test_complete_particulars_let_the_agreement_take_effect(mediating, director, sign_all):
    agreement = _agreement(mediating(), director)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    agreement.refresh_from_db()
    assert agreement.effective_on is not None


def test_an_oral_agreement_is_not_held_to_the_written_particulars(bare_names_case, director):
    agreement = services.agreement_save(
        actor=director,
        case_id=bare_names_case.pk,
        form=AgreementForm.ORAL,
        oral_record="李四当场赔偿张三500元",
        reached_on=timezone.localdate(),
    )
    assert rules.agreement_content_errors(agreement) == {}
