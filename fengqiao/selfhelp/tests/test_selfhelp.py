"""Guided self-help: tree validation and versions, a run to each kind of end, the prefilled
application and the 源头化解 figure."""

import copy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.models import DisputeCategory
from fengqiao.core.exceptions import ConflictError, InvalidInput
from fengqiao.knowledge.choices import EntryKind
from fengqiao.knowledge.services import EntryDraft, entry_create
from fengqiao.selfhelp import selectors, services
from fengqiao.selfhelp.choices import RunStatus
from fengqiao.selfhelp.definition import definition_errors
from fengqiao.selfhelp.models import QuestionTree, SelfHelpRun
from fengqiao.selfhelp.tests.trees import NEIGHBOUR_TREE

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(township_clerk):
    return services.tree_publish(
        actor=township_clerk,
        category=DisputeCategory.objects.get(code="neighbour"),
        title="邻里纠纷自助",
        definition=copy.deepcopy(NEIGHBOUR_TREE),
    )


def walk(guide, *choices):
    run = services.run_start(tree_id=guide.pk)
    for choice in choices:
        run = services.run_answer(token=run.token, node=run.node, choice=choice)
    return run


def test_the_shipped_test_tree_is_valid():
    assert definition_errors(NEIGHBOUR_TREE) == []


@pytest.mark.parametrize(
    ("_case", "change"),
    [
        ("a missing start", lambda d: d.update(start="nowhere")),
        ("an answer into the void", lambda d: d["nodes"]["q1"]["options"][0].update(next="x")),
        ("a loop", lambda d: d["nodes"]["q2"]["options"][0].update(next="q1")),
        ("an unreachable node", lambda d: d["nodes"].update(lost={**d["nodes"]["apply"]})),
        ("a referral to nowhere", lambda d: d["nodes"]["police"].update(referral="mars")),
        ("an agreement without its text", lambda d: d["nodes"]["agree"].pop("template")),
        ("a question with one answer", lambda d: d["nodes"]["q2"]["options"].pop()),
    ],
)
def test_broken_trees_are_refused_before_anything_is_saved(_case, change, township_clerk, guide):
    definition = copy.deepcopy(NEIGHBOUR_TREE)
    change(definition)
    assert definition_errors(definition) != []
    with pytest.raises(InvalidInput):
        services.tree_publish(
            actor=township_clerk, category=guide.category, title="坏树", definition=definition
        )
    assert QuestionTree.objects.count() == 1


def test_a_new_version_leaves_the_old_one_to_the_runs_that_used_it(guide, township_clerk):
    run = walk(guide, 0)
    changed = copy.deepcopy(NEIGHBOUR_TREE)
    changed["nodes"]["q2"]["text"] = "您和对方当面谈过吗？"
    second = services.tree_publish(
        actor=township_clerk, category=guide.category, title="邻里纠纷自助", definition=changed
    )
    guide.refresh_from_db()
    assert (second.version, second.is_active, guide.is_active) == (2, True, False)
    assert list(selectors.trees_offered()) == [second]
    run.refresh_from_db()
    assert run.tree == guide
    assert selectors.run_step(run).node["text"] == "和对方谈过吗？"


def test_a_run_records_its_path_and_may_be_settled_by_the_parties(guide, township_clerk):
    entry_create(
        actor=township_clerk,
        draft=EntryDraft(
            kind=EntryKind.LAW,
            code="law-288",
            title="相邻关系的处理原则",
            body="不动产的相邻权利人应当……正确处理相邻关系。",
            law_name="中华人民共和国民法典",
        ),
    )
    run = walk(guide, 0, 0)
    assert [a["label"] for a in run.path] == ["邻居漏水到我家", "还没谈过"]
    assert (run.status, run.outcome_kind) == (RunStatus.FINISHED, "agreement")
    assert [e.code for e in selectors.run_step(run).entries] == ["law-288"]
    settled = services.run_settle(token=run.token)
    assert settled.status == RunStatus.SETTLED
    assert settled.settled_at is not None


def test_a_referral_cannot_be_claimed_as_settled(guide):
    run = walk(guide, 1)
    assert (run.status, run.referral) == (RunStatus.REFERRED, "police")
    with pytest.raises(ConflictError):
        services.run_settle(token=run.token)
    run.refresh_from_db()
    assert run.settled_at is None


def test_a_stale_answer_is_refused_and_changes_nothing(guide):
    run = walk(guide, 0)
    with pytest.raises(ConflictError):
        services.run_answer(token=run.token, node="q1", choice=1)
    run.refresh_from_db()
    assert [a["node"] for a in run.path] == ["q1"]
    assert run.node == "q2"


def test_the_application_is_prefilled_from_the_answers(client, guide):
    run = walk(guide, 0, 1)
    response = client.post(reverse("selfhelp:apply", args=[run.token]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "邻里纠纷：邻居家漏水到我家；协商过但对方不理睬。" in page
    assert "请对方修复漏水并赔偿损失" in page
    run.refresh_from_db()
    assert run.status == RunStatus.APPLIED


def test_an_unfinished_run_prefills_nothing(client, guide):
    run = walk(guide, 0)
    page = client.get(reverse("portal:apply"), {"selfhelp": run.token}).content.decode()
    assert "邻居家漏水到我家" not in page


def test_citizens_walk_the_pages_without_an_account(client, guide):
    started = client.post(reverse("selfhelp:start", args=[guide.pk]))
    token = started["Location"].rstrip("/").split("/")[-1]
    assert "纠纷是什么情况？" in client.get(started["Location"]).content.decode()
    client.post(reverse("selfhelp:answer", args=[token]), {"node": "q1", "choice": "0"})
    client.post(reverse("selfhelp:answer", args=[token]), {"node": "q2", "choice": "0"})
    outcome = client.get(reverse("selfhelp:step", args=[token])).content.decode()
    assert "协商协议" in outcome
    done = client.post(reverse("selfhelp:settled", args=[token]))
    assert done.status_code == 200
    assert SelfHelpRun.objects.get(token=token).status == RunStatus.SETTLED


def test_the_figures_count_settled_before_filing(guide):
    services.run_settle(token=walk(guide, 0, 0).token)
    walk(guide, 0, 0)
    walk(guide, 1)
    services.run_to_application(token=walk(guide, 0, 1).token)
    walk(guide)
    today = timezone.localdate()
    figures = selectors.selfhelp_figures(start=today - timedelta(days=1), end=today)
    assert figures == selectors.SelfHelpFigures(
        started=5, finished=4, settled=1, applied=1, referred=1
    )


def test_the_dashboard_shows_the_settled_before_filing_figure(client, guide, township_clerk):
    services.run_settle(token=walk(guide, 0, 0).token)
    client.force_login(township_clerk)
    page = client.get(reverse("kpi:index")).content.decode()
    assert 'id="kpi-selfhelp"' in page
    assert '<span class="value" id="selfhelp-settled">1</span>' in page
    assert "源头化解" in page
