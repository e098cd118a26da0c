import pytest
from fengqiao.cases.services import case_transition, ActionInput
from fengqiao.cases import ledger
from fengqiao.accounts.roles import Role

pytestmark = pytest.mark.django_db

def test_smoke(tree, register_case, township_clerk, make_actor):
    med = make_actor(Role.MEDIATOR, tree.village_committee)
    case = register_case()
    assert case.number.startswith("430624122ZZ-")
    case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    import datetime
    case_transition(actor=township_clerk, case_id=case.pk, name="assign", action=ActionInput(org_id=tree.village_committee.pk, assignee_id=med.pk, due_date=datetime.date.today()+datetime.timedelta(days=5)))
    case_transition(actor=med, case_id=case.pk, name="start_mediation")
    c = case_transition(actor=med, case_id=case.pk, name="record_agreement", action=ActionInput(agreement_form="written", note="赔偿2000元"))
    assert c.status == "resolved"
    assert list(ledger.verify()) == []
    from fengqiao.cases.selectors import search
    from fengqiao.cases.models import Case
    assert search(Case.objects.all(), "宅基地边界").count() == 1
    assert search(Case.objects.all(), "边界").count() == 1
    assert search(Case.objects.all(), "不存在的").count() == 0
