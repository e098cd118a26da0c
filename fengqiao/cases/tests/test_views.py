"""The case pages as a person uses them: filters, search, the register form's field errors, htmx
actions with honest status codes, audited reveal, and a fixed query count on the list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import CaseStatus, PartyRole
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.cases.services import ActionInput, case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, township_clerk):
    client.force_login(township_clerk)
    return client


def _register_data(tree, **overrides):
    data = {
        "org_id": tree.township_centre.pk,
        "title": "宅基地边界纠纷",
        "description": "两户因宅基地边界争执。",
        "channel": "walk_in",
        "category": "housing_homestead",
        "region": tree.village.code,
        "people_count": "2",
        "risk_level": "low",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "张三",
        "parties-0-id_number": "430624199001011233",
        "parties-0-phone": "13800138000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cases:todo", []),
        ("cases:list", []),
        ("intake:register", []),
        ("cases:subcategories", []),
        ("cases:detail", [1]),
        ("cases:header", [1]),
        ("cases:timeline", [1]),
        ("cases:actions", [1]),
    ],
)
def test_pages_need_a_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_actions_need_a_login_and_change_nothing(client, register_case):
    case = register_case()
    response = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_login_page_is_chinese(client):
    assert "登录" in client.get(reverse("login")).content.decode()


def test_register_form_creates_the_case_and_shows_it(clerk_client, tree):
    response = clerk_client.post(reverse("intake:register"), _register_data(tree))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    page = clerk_client.get(response["Location"]).content.decode()
    assert "宅基地边界纠纷" in page
    assert "4306**********1233" in page
    assert "430624199001011233" not in page


def test_register_form_takes_a_subcategory_of_the_chosen_category(clerk_client, tree):
    data = _register_data(tree, subcategory="housing_homestead.homestead_boundary")
    assert clerk_client.post(reverse("intake:register"), data).status_code == 302
    assert Case.objects.get().subcategory.code == "housing_homestead.homestead_boundary"
    wrong = _register_data(tree, title="另一件", subcategory="labour.wage_arrears")
    response = clerk_client.post(reverse("intake:register"), wrong)
    assert response.status_code == 422
    assert "subcategory" in response.context["form"].errors
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "此项为必填项。"),
        ({"parties-0-id_number": "430624199001011234"}, "身份证号码校验位不符"),
        # issue #16: birth month 13 with a right check character was accepted
        ({"parties-0-id_number": "430624199013011230"}, "出生日期（19901301）不存在"),
        (
            {"parties-0-kind": "organisation", "parties-0-id_number": "NOT-A-USCC-123"},
            "统一社会信用代码应为 18 位",
        ),
        ({"parties-0-phone": "12345"}, "请输入 11 位手机号码，或带区号的固定电话"),
        ({"region": "430624124201"}, "选择一个有效的选项"),  # another township: not even offered
        ({"amount": "-3"}, "确保该值大于或等于0"),
        ({"parties-0-name": ""}, "此项为必填项。"),
    ],
)
def test_register_form_bad_input_shows_field_errors_in_chinese_and_stores_nothing(
    overrides, message, clerk_client, tree
):
    response = clerk_client.post(reverse("intake:register"), _register_data(tree, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (Case.objects.count(), Party.objects.count(), CaseEvent.objects.count()) == (0, 0, 0)


def test_list_filters_narrow_and_bad_filters_say_why(clerk_client, register_case):
    homestead = register_case(title="宅基地边界纠纷")
    wages = register_case(
        title="拖欠工资",
        description="公司拖欠工资三个月",
        channel="hotline_12345",
        category="labour",
    )
    Case.objects.filter(pk=wages.pk).update(due_date=timezone.localdate() - timedelta(days=1))

    def numbers(query):
        page = clerk_client.get(reverse("cases:list") + query).content.decode()
        return {c.number for c in (homestead, wages) if c.number in page}

    assert numbers("?channel=hotline_12345") == {wages.number}
    assert numbers("?category=housing_homestead") == {homestead.number}
    assert numbers("?overdue=true") == {wages.number}
    assert numbers("?q=工资") == {wages.number}
    assert numbers("?q=宅基地边界") == {homestead.number}
    assert numbers("?region=430624122201") == {homestead.number, wages.number}
    assert numbers("?region=430624124000") == set()
    assert numbers(f"?created_from={timezone.localdate()}") == {homestead.number, wages.number}
    bad = clerk_client.get(reverse("cases:list") + "?created_from=2026-13-45&status=flying")
    assert bad.status_code == 400
    assert "有效" in bad.content.decode()


def test_list_filters_by_status_level_place_and_date_range(
    clerk_client, township_clerk, village_mediator, register_case, tree
):
    registered = register_case(title="未受理的纠纷")
    assigned = register_case(title="交办到村的纠纷", region=tree.other_village)
    case_transition(actor=township_clerk, case_id=assigned.pk, name="accept", action=ActionInput())
    case_transition(
        actor=township_clerk,
        case_id=assigned.pk,
        name="assign",
        action=ActionInput(
            org_id=tree.village_committee.pk,
            assignee_id=village_mediator.pk,
            due_date=timezone.localdate() + timedelta(days=10),
        ),
    )
    today, tomorrow = timezone.localdate(), timezone.localdate() + timedelta(days=1)

    def numbers(query):
        response = clerk_client.get(reverse("cases:list") + query)
        assert response.status_code == 200
        return {c.number for c in response.context["page"].object_list}

    assert numbers("") == {registered.number, assigned.number}
    assert numbers("?status=registered") == {registered.number}
    assert numbers("?status=assigned&status=accepted") == {assigned.number}
    assert numbers("?level=5") == {assigned.number}  # handled by a village committee now
    assert numbers("?level=4") == {registered.number}  # still at the township centre
    assert numbers(f"?region={tree.other_village.code}") == {assigned.number}
    assert numbers(f"?region={tree.township.code}") == {registered.number, assigned.number}
    assert numbers(f"?created_to={today}") == {registered.number, assigned.number}
    assert numbers(f"?created_from={tomorrow}") == set()
    assert numbers("?q=交办到村") == {assigned.number}  # full-text (3+ characters)
    assert numbers("?q=未") == {registered.number}  # short query (1 character)


def test_an_inverted_date_range_is_a_field_error_not_a_crash(clerk_client, register_case):
    register_case()
    today = timezone.localdate()
    query = f"?created_from={today}&created_to={today - timedelta(days=3)}"
    response = clerk_client.get(reverse("cases:list") + query)
    assert response.status_code == 400
    assert response.context["form"].errors["created_to"]
    assert not response.context["page"].object_list


@pytest.mark.parametrize(
    ("query", "field"),
    [("?level=9", "level"), ("?region=4306x", "region"), ("?channel=x", "channel")],
)
def test_each_bad_filter_names_its_field(clerk_client, query, field):
    response = clerk_client.get(reverse("cases:list") + query)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_filtering_through_htmx_gets_the_form_errors_back(clerk_client, register_case):
    register_case()
    response = clerk_client.get(
        reverse("cases:list") + "?created_from=yesterday",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="case-list",
    )
    assert response.status_code == 400  # swapped by the page (htmx-config), errors included
    body = response.content.decode()
    assert 'id="case-list"' in body
    assert "输入一个有效的日期。" in body


def test_the_list_is_paginated(clerk_client, register_case, settings):
    settings.FENGQIAO_CASES_PER_PAGE = 2
    for n in range(3):
        register_case(title=f"纠纷{n}")
    first = clerk_client.get(reverse("cases:list")).context["page"]
    second = clerk_client.get(reverse("cases:list") + "?page=2").context["page"]
    assert (len(first.object_list), len(second.object_list)) == (2, 1)
    assert first.paginator.count == 3
    beyond = clerk_client.get(reverse("cases:list") + "?page=99")
    assert beyond.status_code == 200  # the last page, not an error


def test_case_list_runs_the_same_queries_for_3_and_30_cases(
    clerk_client, register_case, django_assert_num_queries
):
    for _ in range(3):
        register_case()
    clerk_client.get(reverse("cases:list"))  # warm the session and content-type caches
    # session, user (with the reference-data version), count, page, the unread-messages badge:
    # five, whatever the number of rows; the grants and the filter form's categories and places
    # come from memory (core.refcache, issue #15: eight before)
    with django_assert_num_queries(5):
        assert len(clerk_client.get(reverse("cases:list")).context["page"].object_list) == 3
    for _ in range(27):
        register_case()
    with django_assert_num_queries(5):
        assert len(clerk_client.get(reverse("cases:list")).context["page"].object_list) == 25


def test_todo_puts_overdue_first(clerk_client, register_case):
    later, late = register_case(title="甲纠纷"), register_case(title="乙纠纷")
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    page = clerk_client.get(reverse("cases:todo")).content.decode()
    assert page.index("乙纠纷") < page.index("甲纠纷")
    assert later.number in page


def test_todo_separates_my_cases_from_my_units(
    client, township_clerk, village_mediator, register_case, tree
):
    mine = register_case(title="交办给我的纠纷")
    case_transition(actor=township_clerk, case_id=mine.pk, name="accept", action=ActionInput())
    case_transition(
        actor=township_clerk,
        case_id=mine.pk,
        name="assign",
        action=ActionInput(
            org_id=tree.village_committee.pk,
            assignee_id=village_mediator.pk,
            due_date=timezone.localdate() + timedelta(days=10),
        ),
    )
    unit = register_case(actor=village_mediator, org=tree.village_committee, title="本村登记")
    elsewhere = register_case(title="镇里的纠纷")
    client.force_login(village_mediator)
    response = client.get(reverse("cases:todo"))
    queues = {q.queue: q for q in response.context["queues"]}
    assert [c.pk for c in queues["mine"].cases] == [mine.pk]
    assert [c.pk for c in queues["unit"].cases] == [unit.pk]
    assert elsewhere.number not in response.content.decode()


def test_subcategories_follow_the_chosen_category(clerk_client):
    options = clerk_client.get(
        reverse("cases:subcategories"), {"category": "housing_homestead"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    labour = clerk_client.get(reverse("cases:subcategories"), {"category": "labour"})
    none = clerk_client.get(reverse("cases:subcategories"))
    assert options.count("<option") > 1
    assert options != labour.content.decode()
    assert none.content.decode().count("<option") == 1  # only the empty choice


def test_an_action_through_htmx_answers_200_and_asks_panels_to_refresh(clerk_client, register_case):
    case = register_case()
    url = reverse("cases:transition", args=[case.pk, "accept"])
    response = clerk_client.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "case-changed" in response["HX-Trigger"]
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    # what the page then fetches shows the new state
    header = clerk_client.get(reverse("cases:header", args=[case.pk]), HTTP_HX_REQUEST="true")
    timeline = clerk_client.get(reverse("cases:timeline", args=[case.pk]))
    assert "已受理" in header.content.decode()
    assert "已登记 → 已受理" in timeline.content.decode()


def test_a_blocked_action_answers_409_with_the_reason_and_changes_nothing(
    clerk_client, register_case
):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    response = clerk_client.post(
        reverse("cases:transition", args=[case.pk, "accept"]), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "不能执行此操作" in response.content.decode()
    assert "case-changed" in response["HX-Trigger"]  # the page was stale: refresh it
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_missing_required_input_answers_422_and_records_nothing(clerk_client, register_case):
    case = register_case()
    audits = AuditEntry.objects.count()
    response = clerk_client.post(
        reverse("cases:transition", args=[case.pk, "decline"]), {"note": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "此项为必填项。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert (CaseEvent.objects.filter(case=case).count(), AuditEntry.objects.count()) == (1, audits)


def test_a_case_outside_the_jurisdiction_is_404_everywhere(client, register_case, tree, make_actor):
    case = register_case()
    party = case.parties.first()
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre))
    audits = AuditEntry.objects.count()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    for name in ("cases:header", "cases:timeline", "cases:actions"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404
    assert client.post(reverse("cases:transition", args=[case.pk, "accept"])).status_code == 404
    assert (
        client.post(reverse("cases:reveal", args=[case.pk, party.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.count() == audits


def test_a_panel_refresh_for_a_case_now_out_of_reach_gets_a_small_not_found(
    client, register_case, tree, make_actor
):
    case = register_case()
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre))
    response = client.get(reverse("cases:timeline", args=[case.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert "<html" not in response.content.decode()  # a panel, not a page inside the page
    assert "未找到该案件。" in response.content.decode()


def test_reveal_shows_full_values_only_with_a_reason_and_audits_it(clerk_client, register_case):
    case = register_case()
    party = case.parties.get(role=PartyRole.APPLICANT)
    url = reverse("cases:reveal", args=[case.pk, party.pk])
    refused = clerk_client.post(url, {"reason": ""})
    assert refused.status_code == 422
    assert "430624199001011233" not in refused.content.decode()
    shown = clerk_client.post(url, {"reason": "核实身份"})
    assert "430624199001011233" in shown.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.PARTY_PII_VIEWED).count() == 1


def test_actions_of_other_posts_are_folded_under_one_line(client, register_case, tree, make_actor):
    """Issue #21: a role that cannot act saw up to 15 greyed buttons each saying "您无权…"."""
    case = register_case()
    client.force_login(make_actor(Role.READ_ONLY, tree.township_centre))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    actions = page[page.index('id="actions"') : page.index('id="case-header"')]
    assert "disabled" not in actions
    assert "您无权" not in actions
    assert "data-action=" not in actions
    assert "本案目前没有需要您办理的事项。" in actions
    assert "项操作由其他岗位办理" in actions
    assert "受理" in actions  # named, inside the folded line


def test_an_action_of_mine_blocked_by_a_rule_is_shown_with_its_reason(
    client, register_case, tree, township_clerk
):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(status="assigned", assignee=None)
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "disabled" in page
    assert "请先交办给调解员。" in page


def test_the_case_page_leads_with_what_needs_doing_and_hides_hashes(
    client, register_case, township_clerk
):
    case = register_case()
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert page.index('id="actions"') < page.index('id="case-header"')
    head = case.events.order_by("seq").first()
    assert head is not None
    assert head.hash[:12] not in page
    verify = client.get(reverse("cases:timeline", args=[case.pk]) + "?verify=1").content.decode()
    assert head.hash in verify
    assert 'id="chain-intact"' in verify


def test_the_responsible_leader_sees_the_cases_he_leads(client, register_case, tree, make_actor):
    """Issue #21: the 包案 leader had no list of the cases he leads."""
    leader = make_actor(Role.CASE_LEADER, tree.township_centre, region=tree.township)
    led = register_case(title="包案的宅基地纠纷")
    register_case(title="别人的纠纷")
    Case.objects.filter(pk=led.pk).update(lead=leader)
    client.force_login(leader)
    page = client.get(reverse("cases:todo")).content.decode()
    section = page[page.index('id="led-by-me"') :]
    section = section[: section.index("</section>")]
    assert "我包案的案件" in section
    assert led.number in section
    assert "别人的纠纷" not in section


def test_an_unknown_region_code_in_an_id_number_registers_with_a_warning(clerk_client, tree):
    # issue #16: the region part only warns (codes are retired, people keep their numbers)
    response = clerk_client.post(
        reverse("intake:register"),
        _register_data(tree, **{"parties-0-id_number": "990624199001011232"}),
        follow=True,
    )
    assert Case.objects.count() == 1
    page = response.content.decode()
    assert "地址码 990624 不在行政区划代码表中" in page
    assert "990624199001011232" not in page


def test_the_register_form_runs_the_intake_path_risk_step(clerk_client, tree):
    """Issue #12: the form used to call ``case_register`` and rely on registration hooks; it now
    goes through ``intake.pipeline.register_dispute``, whose risk step flags a threat."""
    data = _register_data(tree, description="双方因宅基地争吵，一方扬言要动刀砍人。")
    response = clerk_client.post(reverse("intake:register"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_criminal_risk
    assert case.events.filter(kind="risk_flagged").exists()


def test_the_old_register_address_leads_to_the_form(clerk_client):
    response = clerk_client.get("/cases/new/")
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:register")
