"""The knowledge base: search on both engines, public vs internal, promotion of a closed case
through anonymisation and review, and citations from a case."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseOutcome, CaseStatus
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.exceptions import (
    ConflictError,
    InvalidInput,
    NotFound,
    PermissionDeniedError,
)
from fengqiao.knowledge import selectors, services
from fengqiao.knowledge.anonymise import Person, anonymise, leftovers
from fengqiao.knowledge.choices import CitedIn, EntryKind, EntryStatus, Visibility
from fengqiao.knowledge.models import Citation, Entry

pytestmark = pytest.mark.django_db

ARTICLE = (
    "不动产的相邻权利人应当按照有利生产、方便生活、团结互助、公平合理的原则，正确处理相邻关系。"
)


@pytest.fixture
def editor(make_actor, tree):
    return make_actor(Role.JUSTICE_OFFICER, tree.justice_office, username="editor")


@pytest.fixture
def second_editor(make_actor, tree):
    return make_actor(Role.CENTRE_DIRECTOR, tree.township_centre, username="editor2")


def law(editor, **overrides):
    values = {
        "kind": EntryKind.LAW,
        "title": "相邻关系的处理原则",
        "body": ARTICLE,
        "law_name": "中华人民共和国民法典",
        "article_no": "第二百八十八条",
        "category_code": "neighbour",
    }
    values.update(overrides)
    return services.entry_create(actor=editor, draft=services.EntryDraft(**values))


def found(actor, text, **kw):
    filters = selectors.EntryFilters(text=text)
    return list(selectors.entry_list_for(actor=actor, filters=filters, **kw))


def test_search_finds_long_and_short_chinese_queries(editor):
    entry = law(editor)
    law(
        editor,
        title="宅基地使用权",
        body="宅基地使用权人依法对集体所有的土地享有占有和使用的权利。",
    )
    assert found(editor, "相邻关系") == [entry]  # FTS on SQLite, trigram LIKE on PostgreSQL
    assert found(editor, "邻") == [entry]  # below the trigram length: base-table scan
    assert found(editor, "民法典") != []  # the law's name is searched too (short path)
    assert found(editor, "不存在的词语") == []


def test_citizens_see_only_published_public_entries(editor, village_mediator):
    public = law(editor)
    internal = law(
        editor, title="内部口径", body="相邻关系内部处理口径", visibility=Visibility.INTERNAL
    )
    anonymous = AnonymousUser()
    assert found(anonymous, "相邻关系") == [public]
    assert set(found(village_mediator, "相邻关系")) == {public, internal}
    with pytest.raises(NotFound):
        selectors.entry_get_for(actor=anonymous, entry_id=internal.pk)
    with pytest.raises(NotFound):
        selectors.entry_get_for(actor=village_mediator, entry_id=internal.pk, public_only=True)


def test_a_mediator_may_not_write_the_base_and_leaves_no_trace(village_mediator):
    with pytest.raises(PermissionDeniedError):
        law(village_mediator)
    assert Entry.objects.count() == 0
    assert not AuditEntry.objects.filter(target_type__model="entry").exists()


def test_a_law_needs_its_law_name(editor):
    with pytest.raises(InvalidInput) as error:
        law(editor, law_name="")
    assert "law_name" in error.value.errors


def test_anonymise_strips_names_ids_phones_and_addresses():
    people = [Person("张三", "静河村3组12号"), Person("李四丰")]
    text = (
        "张三（身份证430624199001011233，电话138 0013 8000）住静河村3组12号，"
        "与李四丰（0730-5551234）因人民路18号的围墙发生纠纷。"
    )
    clean = anonymise(text, people=people)
    assert clean == (
        "张某（身份证[身份证号已删除]，电话[电话已删除]）住某处，"
        "与李某（[电话已删除]）因某处的围墙发生纠纷。"
    )
    assert leftovers(clean, people=people) == []
    assert leftovers(text, people=people) != []


def _closed(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome=CaseOutcome.RESOLVED)
    case.refresh_from_db()
    return case


def test_a_closed_case_becomes_a_typical_case_only_after_another_editor_reviews_it(
    register_case, editor, second_editor
):
    case = _closed(
        register_case(
            description="张三（电话13800138000）与李四因宅基地边界问题发生纠纷。",
            address="静河村5组8号",
        )
    )
    draft = services.case_example_draft(actor=second_editor, case_id=case.pk)
    assert (draft.status, draft.visibility, draft.kind) == (
        EntryStatus.DRAFT,
        Visibility.INTERNAL,
        EntryKind.CASE,
    )
    assert "张三" not in draft.body
    assert "13800138000" not in draft.body
    assert "张某" in draft.body
    assert found(AnonymousUser(), "宅基地") == []  # a draft is nobody's public reading

    # the reviewer's check refuses a name typed back in
    with pytest.raises(InvalidInput) as error:
        services.entry_review(
            actor=editor,
            entry_id=draft.pk,
            title=draft.title,
            body=draft.body + "（李四）",
            visibility=Visibility.PUBLIC,
            publish=True,
        )
    assert "李四" in error.value.errors["body"][0]
    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT

    # the author may not publish their own draft
    with pytest.raises(InvalidInput):
        services.entry_review(
            actor=second_editor,
            entry_id=draft.pk,
            title=draft.title,
            body=draft.body,
            visibility=Visibility.PUBLIC,
            publish=True,
        )
    published = services.entry_review(
        actor=editor,
        entry_id=draft.pk,
        title=draft.title,
        body=draft.body,
        visibility=Visibility.PUBLIC,
        publish=True,
    )
    assert (published.status, published.reviewed_by) == (EntryStatus.PUBLISHED, editor)
    assert found(AnonymousUser(), "宅基地") == [published]


def test_an_open_case_cannot_be_promoted(register_case, editor):
    case = register_case()
    with pytest.raises(ConflictError):
        services.case_example_draft(actor=editor, case_id=case.pk)
    assert Entry.objects.count() == 0


def test_a_case_out_of_scope_cannot_be_promoted(register_case, make_actor, tree):
    case = _closed(register_case())
    stranger = make_actor(Role.JUSTICE_OFFICER, tree.other_township_centre)
    with pytest.raises(NotFound):
        services.case_example_draft(actor=stranger, case_id=case.pk)


def test_citing_an_entry_in_the_agreement_is_a_timeline_event(
    register_case, editor, tree, make_actor
):
    case = register_case()
    entry = law(editor)
    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    before = CaseEvent.objects.filter(case=case).count()
    citation = services.citation_add(
        actor=mediator, case_id=case.pk, entry_id=entry.pk, cited_in=CitedIn.AGREEMENT
    )
    assert citation.cited_by == mediator
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    assert event.data["citation"] == entry.code
    with pytest.raises(ConflictError):
        services.citation_add(
            actor=mediator, case_id=case.pk, entry_id=entry.pk, cited_in=CitedIn.AGREEMENT
        )


def test_a_viewer_cannot_cite_and_leaves_no_trace(register_case, editor, tree, make_actor):
    case = register_case()
    entry = law(editor)
    viewer = make_actor(Role.READ_ONLY, tree.township_centre)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(PermissionDeniedError):
        services.citation_add(
            actor=viewer, case_id=case.pk, entry_id=entry.pk, cited_in=CitedIn.CASE
        )
    assert Citation.objects.count() == 0
    assert CaseEvent.objects.filter(case=case).count() == events


def test_public_pages_need_no_account_and_hide_internal_entries(client, editor):
    public = law(editor)
    internal = law(editor, title="内部口径", body="内部", visibility=Visibility.INTERNAL)
    page = client.get(reverse("kb:index"), {"q": "相邻关系"})
    assert page.status_code == 200
    assert "相邻关系的处理原则" in page.content.decode()
    assert client.get(reverse("kb:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("kb:detail", args=[internal.pk])).status_code == 404


def test_case_panel_cites_through_htmx(client, register_case, editor, tree, make_actor):
    case = register_case()
    entry = law(editor)
    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    client.force_login(mediator)
    url = reverse("knowledge:case_panel", args=[case.pk])
    search = client.get(url, {"q": "相邻"})
    assert "相邻关系的处理原则" in search.content.decode()
    response = client.post(url, {"entry": entry.pk, "cited_in": "mediation_record"})
    assert response.status_code == 200
    assert Citation.objects.filter(case=case, cited_in="mediation_record").count() == 1
