"""Cases with everything a document can show, built through the real services: one resolved
(records, written agreement in force, 回访 done, 司法确认 applied for) and one terminated
(undisputed facts, other routes); the director of the handling centre and an outsider."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import complete_particulars
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import AgreementForm, CaseStatus, TerminationReason
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.mediation import services as mediation
from fengqiao.mediation.choices import Satisfaction, SessionMode, SignatureRole
from fengqiao.mediation.models import FollowUp
from fengqiao.orgs.models import Mediator


@pytest.fixture
def director(township_clerk) -> User:
    return township_clerk


@pytest.fixture
def outsider(make_actor, tree) -> User:
    return make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="outsider")


@pytest.fixture
def mediating(register_case, director, tree, township_committee) -> Callable[..., Case]:
    """A registered, accepted case put into MEDIATING at the township's committee with its
    preparatory records."""

    def make(**overrides: object) -> Case:
        case = register_case(**overrides)
        case_transition(actor=director, case_id=case.pk, name="accept", action=ActionInput())
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.MEDIATING, assignee=director, handling_org=township_committee
        )
        complete_particulars(case, director)
        today = timezone.localdate()
        mediator = Mediator.objects.create(
            name="王调解", kind="full_time", org=tree.township_centre
        )
        for party in case.parties.all():
            mediation.rights_notify(
                actor=director,
                case_id=case.pk,
                party_id=party.pk,
                notified_on=today,
                acknowledged=True,
            )
        mediation.investigation_record(
            actor=director,
            case_id=case.pk,
            investigated_on=today,
            investigators="王调解、赵书记",
            subject="现场查看宅基地界址",
            record_text="界桩位于围墙东侧一米处。\n邻居证实围墙为去年新砌。",
            place="静河村三组",
        )
        mediation.session_record(
            actor=director,
            case_id=case.pk,
            held_at=timezone.now() - timedelta(hours=3),
            mode=SessionMode.IN_PERSON,
            place="静河镇矛调中心调解室",
            mediator_ids=[mediator.pk],
            attendees="张三、李四",
            invitees="村民小组长刘五",
            invitees_consented=True,
            record_text="调解员告知双方权利义务。\n双方陈述事实后同意协商。",
        )
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def resolved_case(mediating, director) -> Case:
    case = mediating(claims="请求李四拆除越界围墙\n赔偿损失5000元")
    today = timezone.localdate()
    agreement = mediation.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        parties_particulars="张三，男，静河村村民；李四，男，静河村村民",
        facts="双方因宅基地边界发生争执",
        issues="边界围墙位置",
        responsibilities="李四越界砌墙，负主要责任",
        terms=[
            mediation.TermDraft(
                content="李四向张三支付补偿款5000元",
                obligor="李四",
                manner="银行转账",
                place="静河村村委会",
                due_on=today + timedelta(days=40),
            )
        ],
    )
    for party in case.parties.all():
        mediation.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.PARTY,
            party_id=party.pk,
            signed_on=today,
        )
    mediation.agreement_sign(
        actor=director,
        agreement_id=agreement.pk,
        role=SignatureRole.MEDIATOR,
        signer_name="王调解",
        signed_on=today,
    )
    mediation.agreement_sign(
        actor=director, agreement_id=agreement.pk, role=SignatureRole.SEAL, signed_on=today
    )
    mediation.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    mediation.confirmation_file(
        actor=director, agreement_id=agreement.pk, court="湘阴县人民法院", applied_on=today
    )
    visit = FollowUp.objects.filter(case=case, term__isnull=False).get()
    mediation.follow_up_record(
        actor=director,
        follow_up_id=visit.pk,
        done_on=today,
        method="电话回访",
        outcome="款项已通过银行转账付清",
        satisfaction=Satisfaction.SATISFIED,
        term_performed=True,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def terminated_case(mediating, director) -> Case:
    case = mediating(title="借款纠纷")
    mediation.failure_record(
        actor=director,
        case_id=case.pk,
        other_routes="告知双方可向湘阴县人民法院起诉",
        routes_notified_on=timezone.localdate(),
        undisputed_facts="双方确认借款金额为3万元",
        confirmed_party_ids=list(case.parties.values_list("pk", flat=True)),
    )
    case_transition(
        actor=director,
        case_id=case.pk,
        name="terminate",
        action=ActionInput(termination_reason=TerminationReason.TOO_FAR_APART, note="分歧过大"),
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def oral_case(mediating, director) -> Case:
    case = mediating(title="邻里噪音纠纷")
    agreement = mediation.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.ORAL,
        oral_record="李四承诺晚十点后不再使用电钻\n张三不再追究此前损失",
        reached_on=timezone.localdate(),
    )
    mediation.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    case.refresh_from_db()
    return case
