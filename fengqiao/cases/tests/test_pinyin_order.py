"""The case list and people search order parties, units and places by pinyin, in SQL on both
databases (issue #16: 张 came before 李, 王 and 阿 because U+5F20 is the smallest code point)."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import Case, Party
from fengqiao.cases.privacy import ANONYMOUS, parties_anonymise_expired
from fengqiao.cases.selectors import CaseFilters, CaseOrder, case_list_for
from fengqiao.cases.services import PartyDraft
from fengqiao.core.collation import pinyin_key, pinyin_sort_key
from fengqiao.core.migration_ops import backfill_name_keys
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
NAMES = ["张伟", "李娜", "王芳", "阿明"]
PINYIN_ORDER = ["阿明", "李娜", "王芳", "张伟"]


def test_the_names_differ_in_pinyin_and_code_point_order():
    assert sorted(NAMES) == ["张伟", "李娜", "王芳", "阿明"]
    assert sorted(NAMES, key=pinyin_key) == PINYIN_ORDER


@pytest.fixture
def cases_by_party(register_case):
    """One case per name, registered in code-point order, each with that person first."""
    return {
        name: register_case(
            title=f"{name}的纠纷",
            parties=(
                PartyDraft(role=PartyRole.APPLICANT, name=name),
                PartyDraft(role=PartyRole.RESPONDENT, name="欧阳修文"),
            ),
        )
        for name in sorted(NAMES)
    }


def _titles(cases):
    return [case.title.removesuffix("的纠纷") for case in cases]


def test_the_case_list_orders_by_the_first_party_in_pinyin(cases_by_party, township_clerk):
    cases = case_list_for(actor=township_clerk, filters=CaseFilters(order=CaseOrder.PARTY))
    assert _titles(cases) == PINYIN_ORDER
    assert [c.first_party_name for c in cases] == PINYIN_ORDER
    newest = case_list_for(actor=township_clerk, filters=CaseFilters())
    assert _titles(newest) == sorted(NAMES, reverse=True)  # the default is unchanged


def test_people_search_results_in_pinyin_order(cases_by_party, township_clerk, register_case):
    register_case(title="无关的纠纷")  # 张三 and 李四: no 欧阳
    found = case_list_for(
        actor=township_clerk, filters=CaseFilters(text="欧阳修文", order=CaseOrder.PARTY)
    )
    assert _titles(found) == PINYIN_ORDER


def test_the_list_page_and_the_api_take_the_order(client, cases_by_party, township_clerk, tree):
    client.force_login(township_clerk)
    page = client.get(reverse("cases:list"), {"order": "party", "q": "欧阳修文"})
    assert page.status_code == 200
    html = page.content.decode()
    positions = [html.index(f"{name}的纠纷") for name in PINYIN_ORDER]
    assert positions == sorted(positions)
    assert 'name="order"' in html
    assert "第一当事人（按拼音）" in html

    out = StringIO()
    call_command("create_api_token", township_clerk.username, stdout=out, stderr=StringIO())
    response = client.get(
        "/api/v1/cases",
        {"order": "party"},
        HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip()}",
    )
    assert response.status_code == 200
    assert [item["title"].removesuffix("的纠纷") for item in response.json()["items"]] == (
        PINYIN_ORDER
    )
    assert client.get(reverse("cases:list"), {"order": "name"}).status_code == 400


def test_units_and_places_sort_by_pinyin(register_case, township_clerk, tree):
    units = {
        name: Organisation.objects.create(
            name=f"{name}调解工作室",
            kind=OrgKind.CENTRE,
            region=tree.township,
            code=f"430624122X{i}",
        )
        for i, name in enumerate(NAMES)
    }
    for name, unit in units.items():
        case = register_case(title=f"{name}的纠纷")
        Case.objects.filter(pk=case.pk).update(handling_org=unit)
    by_unit = case_list_for(actor=township_clerk, filters=CaseFilters(order=CaseOrder.UNIT))
    assert _titles(by_unit) == PINYIN_ORDER

    # 湾河村 (wan1) has the smaller code point, 静河村 (jing4) the smaller pinyin
    wan = register_case(title="湾", region=tree.other_village)
    jing = register_case(title="静", region=tree.village)
    by_place = case_list_for(
        actor=township_clerk,
        filters=CaseFilters(order=CaseOrder.PLACE, text="湾"),
    )
    assert [c.pk for c in by_place] == [wan.pk]
    both = [
        c.pk
        for c in case_list_for(actor=township_clerk, filters=CaseFilters(order=CaseOrder.PLACE))
        if c.pk in (wan.pk, jing.pk)
    ]
    assert both == [jing.pk, wan.pk]


def test_the_key_is_written_with_every_name(register_case, tree):
    case = register_case()  # parties are bulk-created: the key is set all the same
    assert sorted(Party.objects.filter(case=case).values_list("name", "name_key")) == [
        ("张三", "zhang1 san1"),
        ("李四", "li3 si4"),
    ]
    unit = tree.village_committee
    unit.name = "阿村人民调解委员会"
    unit.save(update_fields=["name"])
    unit.refresh_from_db()
    assert unit.name_key == pinyin_sort_key("阿村人民调解委员会")
    assert Region.objects.get(pk=tree.village.pk).name_key == "jing4 he2 cun1"


def test_anonymised_parties_keep_no_key_of_their_name(register_case, township_clerk):
    register_case()
    Case.objects.update(status="closed", status_changed_at="1980-01-01T00:00:00Z")
    assert parties_anonymise_expired(actor=township_clerk) == 2
    assert set(Party.objects.values_list("name_key", flat=True)) == {pinyin_sort_key(ANONYMOUS)}


def test_the_migration_fills_the_keys_of_existing_rows(register_case, tree):
    register_case()
    Party.objects.update(name_key="")
    Organisation.objects.update(name_key="")
    editor = SimpleNamespace(connection=connection)
    backfill_name_keys("cases", "Party").code(apps, editor)
    backfill_name_keys("orgs", "Organisation").code(apps, editor)
    assert set(Party.objects.values_list("name_key", flat=True)) == {"zhang1 san1", "li3 si4"}
    assert Organisation.objects.get(pk=tree.township_centre.pk).name_key == pinyin_sort_key(
        "静河镇矛调中心"
    )


def test_the_assignment_pickers_list_units_and_people_in_pinyin_order(
    register_case, township_clerk, make_actor, tree
):
    from fengqiao.accounts.roles import Role
    from fengqiao.cases import workflow
    from fengqiao.cases.forms import ActionForm

    for i, name in enumerate(NAMES):
        Organisation.objects.create(
            name=f"{name}调解工作室",
            kind=OrgKind.CENTRE,
            region=tree.township,
            code=f"430624122X{i}",
        )
        mediator = make_actor(Role.MEDIATOR, tree.township_centre)
        mediator.full_name = name
        mediator.save(update_fields=["full_name"])
    form = ActionForm(transition=workflow.get("assign"), case=register_case(), actor=township_clerk)
    units = [label.removesuffix("调解工作室") for _pk, label in form.fields["org_id"].choices]
    assert [u for u in units if u in NAMES] == PINYIN_ORDER
    people = [label.split("（")[0] for _pk, label in form.fields["assignee_id"].choices]
    assert [p for p in people if p in NAMES] == PINYIN_ORDER
