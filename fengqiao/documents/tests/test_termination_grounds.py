"""The 终止调解告知书 states each ground of termination with the article it rests on, and a
suspected 虚假调解 with the bodies it was reported to (特邀调解规定 art.18)."""

import pytest
from django.utils import timezone

from fengqiao.cases.choices import TerminationReason
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.documents import services
from fengqiao.documents.tests.helpers import docx_text
from fengqiao.mediation import services as mediation

pytestmark = pytest.mark.django_db


def _terminated(mediating, director, reason: str):
    case = mediating(title="借款纠纷")
    mediation.failure_record(
        actor=director,
        case_id=case.pk,
        other_routes="告知双方可向湘阴县人民法院起诉",
        routes_notified_on=timezone.localdate(),
        undisputed_facts="",
        confirmed_party_ids=[],
    )
    case_transition(
        actor=director,
        case_id=case.pk,
        name="terminate",
        action=ActionInput(termination_reason=reason, note="调解员发现异常"),
    )
    return case


def _notice(case, director) -> str:
    document = services.document_generate(
        actor=director, case_id=case.pk, kind="termination", file_format="docx"
    )
    return docx_text(document.file.read())


@pytest.mark.parametrize(
    ("reason", "said", "cited"),
    [
        (TerminationReason.TOO_FAR_APART, "分歧较大", "人民调解法》第二十六条"),
        (TerminationReason.CONCEALMENT, "隐瞒重要事实、提供虚假材料", "第二十四条、第二十六条"),
        (TerminationReason.DELIBERATE_DELAY, "当事人故意拖延", "第二十四条、第二十六条"),
    ],
)
def test_each_ground_is_stated_with_its_article(reason, said, cited, mediating, director):
    text = _notice(_terminated(mediating, director, reason), director)
    assert said in text
    assert cited in text
    assert "本委员会于" in text
    assert "报告" not in text


def test_a_suspected_collusion_names_the_bodies_it_was_reported_to(mediating, director):
    text = _notice(
        _terminated(mediating, director, TerminationReason.SUSPECTED_COLLUSION), director
    )
    assert "恶意串通、虚假调解" in text
    assert "第三条、第二十六条" in text
    assert "已将有关情况报告静河镇矛调中心、静河司法所" in text
