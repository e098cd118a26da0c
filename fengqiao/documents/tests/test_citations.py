"""Articles cited from the knowledge base appear as 调解依据 in the mediation record and the
agreement: each document shows what was cited for it."""

import pytest

from fengqiao.accounts.roles import Role
from fengqiao.documents import contexts
from fengqiao.documents.casefile import case_file_load
from fengqiao.knowledge.choices import CitedIn, EntryKind
from fengqiao.knowledge.services import EntryDraft, citation_add, entry_create

pytestmark = pytest.mark.django_db


def test_cited_articles_are_the_basis_of_the_record_and_the_agreement(
    register_case, make_actor, tree
):
    case = register_case()
    editor = make_actor(Role.JUSTICE_OFFICER, tree.justice_office)
    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    article = entry_create(
        actor=editor,
        draft=EntryDraft(
            kind=EntryKind.LAW,
            title="相邻关系的处理原则",
            body="不动产的相邻权利人应当……正确处理相邻关系。",
            law_name="中华人民共和国民法典",
            article_no="第二百八十八条",
        ),
    )
    citation_add(
        actor=mediator, case_id=case.pk, entry_id=article.pk, cited_in=CitedIn.MEDIATION_RECORD
    )
    data = case_file_load(case)
    assert contexts.session_record(data)["basis"] == "《中华人民共和国民法典》第二百八十八条"
    assert data.basis.get(CitedIn.AGREEMENT) is None
