"""三源合一 duplicate detection: each reason, the window and the township, jurisdiction, the
register-page fragment, link and merge from the case page, the automatic link of API intakes,
and precision/recall on a generated labelled slice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import CaseOutcome, Channel, EventKind, PartyRole
from fengqiao.cases.models import Case, CaseEvent, CaseLink
from fengqiao.cases.services import PartyDraft
from fengqiao.intake import duplicates
from fengqiao.intake.dedup.corpus import evaluate, generate
from fengqiao.intake.dedup.load import county_clerk, load, scored_pairs

pytestmark = pytest.mark.django_db

ID_NUMBER = "430624199001011233"
OTHER_TEXT = "王五承包的鱼塘与赵六家的稻田之间排水渠堵塞，赵六要求王五疏通并赔偿秧苗损失。"


def party(name: str, **kwargs) -> PartyDraft:
    return PartyDraft(role=kwargs.pop("role", PartyRole.APPLICANT), name=name, **kwargs)


def only(candidates, case):
    found = [c for c in candidates if c.case.pk == case.pk]
    assert found, f"{case.number} is not a candidate"
    return found[0]


def test_same_id_number_is_a_reason(register_case, township_clerk):
    old = register_case(
        description=OTHER_TEXT, parties=(party("张三", id_number=ID_NUMBER),), category="contract"
    )
    new = register_case(parties=(party("张叁", id_number=ID_NUMBER.lower()[:-1] + "3"),))
    candidate = only(duplicates.candidates_for_case(new, actor=township_clerk, floor=0), old)
    assert "同一身份证号" in candidate.reason_text


def test_same_phone_in_another_format_is_a_reason(register_case, township_clerk):
    old = register_case(parties=(party("张三", phone="13800138000"),))
    new = register_case(parties=(party("张三", phone="+86 138-0013-8000"),))
    candidate = only(duplicates.candidates_for_case(new, actor=township_clerk), old)
    assert "同一手机号" in candidate.reason_text
    assert candidate.score >= duplicates.auto_link_score()


def test_same_name_in_the_same_village_is_a_reason(register_case, township_clerk, tree):
    old = register_case(parties=(party("欧阳建国", region=tree.village.code),))
    new = register_case(
        description=OTHER_TEXT, parties=(party("欧阳建国", region=tree.village.code),)
    )
    candidate = only(duplicates.candidates_for_case(new, actor=township_clerk, floor=0), old)
    assert "同名：欧阳建国" in candidate.reason_text


def test_paraphrase_with_a_name_typo_scores(register_case, township_clerk):
    old = register_case(
        description="张建国与邻居李秀英因宅基地界址发生争议，张建国称李秀英建房时将院墙向东侧移了约3米。",
        parties=(party("张建国"), party("李秀英", role=PartyRole.RESPONDENT)),
    )
    new = register_case(
        description="静河村村民张健国反映：邻居李秀英新建房屋的院墙越过界址3米左右，侵占其宅基地。",
        parties=(party("张健国"), party("李秀英", role=PartyRole.RESPONDENT)),
    )
    candidate = only(duplicates.candidates_for_case(new, actor=township_clerk), old)
    assert "描述相似度" in candidate.reason_text
    assert "姓名相近：张健国/张建国" in candidate.reason_text
    assert candidate.score >= duplicates.auto_link_score()


def test_other_township_is_never_a_candidate(register_case, township_clerk, tree, make_actor):
    county_actor = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    other = register_case(
        actor=county_actor, org=tree.county_centre, region=tree.other_township_village
    )
    new = register_case(actor=county_actor, org=tree.county_centre)
    found = duplicates.candidates_for_case(new, actor=county_actor, floor=0)
    assert other.pk not in {c.case.pk for c in found}


def test_outside_the_window_is_never_a_candidate(register_case, township_clerk, settings):
    settings.FENGQIAO_DEDUP_WINDOW_DAYS = 30
    old = register_case()
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    new = register_case()
    assert old.pk not in {
        c.case.pk for c in duplicates.candidates_for_case(new, actor=township_clerk, floor=0)
    }


def test_out_of_jurisdiction_candidates_are_hidden(register_case, make_actor, tree):
    # A case placed in 湾河村 and handled by its committee is outside 静河村's sight.
    other_village_actor = make_actor(Role.INTAKE_CLERK, tree.other_village_committee)
    hidden = register_case(
        actor=other_village_actor, org=tree.other_village_committee, region=tree.other_village
    )
    village_actor = make_actor(Role.INTAKE_CLERK, tree.village_committee)
    new = register_case(actor=village_actor, org=tree.village_committee, region=tree.village)
    found = duplicates.candidates_for_case(new, actor=village_actor, floor=0)
    assert hidden.pk not in {c.case.pk for c in found}
    county = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    assert hidden.pk in {c.case.pk for c in duplicates.candidates_for_case(new, actor=county)}


def test_draft_fragment_on_the_register_page(client, register_case, township_clerk, tree):
    old = register_case()
    client.force_login(township_clerk)
    page = client.get(reverse("intake:register")).content.decode()
    assert reverse("intake:duplicates_draft") in page
    response = client.post(
        reverse("intake:duplicates_draft"),
        {
            "title": "宅基地纠纷",
            "description": "张三与李四因宅基地边界问题发生纠纷",
            "category": "housing_homestead",
            "region": tree.village.code,
            "parties-TOTAL_FORMS": "1",
            "parties-0-name": "张三",
            "parties-0-phone": "138 0013 8000",
            "parties-0-id_number": ID_NUMBER,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert old.number in body
    assert "同一身份证号" in body
    assert ID_NUMBER not in body


def test_link_from_the_case_page(client, register_case, township_clerk):
    old = register_case()
    new = register_case()
    client.force_login(township_clerk)
    panel = client.get(reverse("intake:duplicates", args=[new.pk])).content.decode()
    assert old.number in panel
    response = client.post(reverse("intake:duplicates_link", args=[new.pk, old.pk]))
    assert response.status_code == 200
    assert "case-changed" in response["HX-Trigger"]
    link = CaseLink.objects.get()
    assert {link.case_id, link.other_id} == {old.pk, new.pk}
    assert not link.automatic
    assert "同一身份证号" in link.reasons
    for case, other in ((new, old), (old, new)):
        event = CaseEvent.objects.get(case=case, kind=EventKind.LINKED)
        assert event.data["linked"] == other.number
    assert AuditEntry.objects.filter(action=AuditAction.CASE_LINKED).count() == 1
    # A linked case is listed as linked, no longer proposed.
    again = client.get(reverse("intake:duplicates", args=[new.pk])).content.decode()
    assert old.number in again[again.index('class="table linked"') :]
    assert reverse("intake:duplicates_link", args=[new.pk, old.pk]) not in again


def test_denied_link_leaves_no_trace(client, register_case, make_actor, tree):
    old = register_case()
    new = register_case()
    viewer = make_actor(Role.MEDIATOR, tree.township_centre)  # sees, may not accept
    client.force_login(viewer)
    panel = client.get(reverse("intake:duplicates", args=[new.pk])).content.decode()
    assert old.number in panel
    assert reverse("intake:duplicates_link", args=[new.pk, old.pk]) not in panel
    events = CaseEvent.objects.count()
    response = client.post(reverse("intake:duplicates_link", args=[new.pk, old.pk]))
    assert response.status_code == 403
    assert not CaseLink.objects.exists()
    assert CaseEvent.objects.count() == events
    assert not AuditEntry.objects.filter(action=AuditAction.CASE_LINKED).exists()
    outsider = make_actor(Role.INTAKE_CLERK, tree.other_township_centre)
    client.force_login(outsider)
    response = client.post(reverse("intake:duplicates_link", args=[new.pk, old.pk]))
    assert response.status_code == 404
    assert not CaseLink.objects.exists()


def test_merge_from_the_case_page(client, register_case, township_clerk):
    primary = register_case()
    new = register_case()
    client.force_login(township_clerk)
    response = client.post(reverse("intake:duplicates_merge", args=[new.pk, primary.pk]))
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.merged_into_id == primary.pk
    assert new.outcome == CaseOutcome.MERGED
    assert CaseEvent.objects.filter(case=primary, kind=EventKind.MERGED).exists()
    timeline = client.get(reverse("cases:detail", args=[primary.pk])).content.decode()
    assert timeline  # the primary's page still renders with the merged case's events


def test_api_channel_registration_links_automatically(register_case, township_clerk):
    old = register_case(channel=Channel.WALK_IN)
    assert not CaseLink.objects.exists()  # a staff form never links by itself
    new = register_case(channel=Channel.POLICE_110, source_ref="J001")
    link = CaseLink.objects.get()
    assert link.automatic
    assert {link.case_id, link.other_id} == {old.pk, new.pk}
    assert CaseEvent.objects.filter(case=new, kind=EventKind.LINKED).exists()
    assert CaseEvent.objects.get(case=old, kind=EventKind.LINKED).data["automatic"] is True


def test_labelled_slice_reaches_the_targets(settings):
    start = timezone.now() - timedelta(days=200)
    labelled = generate(220, seed=7, start=start)
    assert len(labelled.reports) >= 300
    actor = county_clerk()
    cases = load(labelled, actor)
    pairs = scored_pairs(cases, actor)
    [(_t, precision, recall, _n)] = evaluate(
        pairs, labelled.true_pairs(), [duplicates.auto_link_score()]
    )
    assert precision >= 0.95
    assert recall >= 0.90


def test_an_automatic_link_shows_in_both_panels(client, register_case, township_clerk):
    """Issue #21: a 110 case auto-linked to a portal case made both panels say "本乡镇没有疑似重复
    案件" although the timelines said they were linked."""
    old = register_case(channel=Channel.ONLINE)
    new = register_case(channel=Channel.POLICE_110, source_ref="J002")
    assert CaseLink.objects.get().automatic
    client.force_login(township_clerk)
    for case, other in ((new, old), (old, new)):
        panel = client.get(reverse("intake:duplicates", args=[case.pk])).content.decode()
        assert "没有疑似重复" not in panel
        assert other.number in panel
        assert "自动关联" in panel
