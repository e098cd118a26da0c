"""People search (#16): names, phones, phone tails, ID numbers and number prefixes find the case,
within the searcher's jurisdiction only, in the list page, the API and the top-bar search."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import CaseStatus, PartyRole
from fengqiao.cases.models import Case
from fengqiao.cases.privacy import parties_anonymise_expired
from fengqiao.cases.selectors import CaseFilters, case_list_for
from fengqiao.cases.services import PartyDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(register_case, tree, make_actor):
    """Two township cases with different people, and one in another township with 王建国 too."""
    wang = register_case(
        title="宅基地边界纠纷",
        channel="police_110",
        source_ref="JJ20260512001",
        parties=(
            PartyDraft(
                role=PartyRole.APPLICANT,
                name="王建国",
                id_number="430624199001011233",
                phone="138 0013 8000",
            ),
            PartyDraft(role=PartyRole.RESPONDENT, name="欧阳修文", phone="0730-5551234"),
        ),
    )
    other = register_case(
        title="拖欠工资",
        description="某公司拖欠农民工工资三个月。",
        parties=(PartyDraft(role=PartyRole.APPLICANT, name="李四", phone="13912345678"),),
    )
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="far")
    far = register_case(
        actor=outsider,
        org=tree.other_township_centre,
        region=tree.other_township_village,
        parties=(PartyDraft(role=PartyRole.APPLICANT, name="王建国", phone="13800138000"),),
    )
    return {"wang": wang, "other": other, "far": far}


def _found(actor, text):
    return set(case_list_for(actor=actor, filters=CaseFilters(text=text)))


@pytest.mark.parametrize(
    "text",
    [
        "王建国",  # exact name
        "王建",  # leading part
        "建国",  # inside a name, two characters
        "阳修文",  # any part of 3+ characters
        "13800138000",  # full phone
        "+86 138-0013-8000",  # written another way
        "8000",  # last four digits
        "430624199001011233",  # ID number
        "430624199001011233".lower(),
        "JJ2026",  # source-number prefix
    ],
)
def test_people_and_numbers_find_the_case_within_jurisdiction(text, people, township_clerk):
    found = _found(township_clerk, text)
    if text == "建国":
        # Two characters inside a name: trigram indexes cannot serve it, so only leading parts
        # and exact names are searched (documented in selectors.search).
        assert found == set()
    else:
        assert found == {people["wang"]}  # never the 王建国 of the other township


def test_case_number_prefix_finds_every_case_of_the_unit_year(people, township_clerk):
    prefix = people["wang"].number[:-2]
    assert {people["wang"], people["other"]} <= _found(township_clerk, prefix)
    assert _found(township_clerk, people["other"].number) == {people["other"]}


def test_phone_tail_of_another_party_finds_its_case(people, township_clerk):
    assert _found(township_clerk, "1234") == {people["wang"]}  # 0730-5551234
    assert _found(township_clerk, "5678") == {people["other"]}
    assert _found(township_clerk, "0000") == set()


def test_outsider_finds_only_their_own_wang(people):
    outsider = people["far"].registered_by
    assert _found(outsider, "王建国") == {people["far"]}
    assert _found(outsider, "8000") == {people["far"]}
    assert _found(outsider, "430624199001011233") == set()


def test_an_all_digit_query_is_not_matched_against_descriptions(register_case, township_clerk):
    register_case(
        description="对方欠款8000元未还。",
        parties=(PartyDraft(role=PartyRole.APPLICANT, name="赵六"),),
    )
    assert _found(township_clerk, "8000") == set()


def test_anonymised_parties_are_no_longer_found(people, township_clerk, settings):
    settings.FENGQIAO_PARTY_RETENTION_YEARS = 0
    Case.objects.filter(pk=people["wang"].pk).update(status=CaseStatus.CLOSED)
    parties_anonymise_expired(actor=system_actor())
    for text in ("王建国", "8000", "13800138000", "430624199001011233"):
        assert _found(township_clerk, text) == set(), text


def test_list_page_and_top_bar_search(people, client, township_clerk):
    client.force_login(township_clerk)
    todo = client.get(reverse("cases:todo")).content.decode()
    assert f'action="{reverse("cases:list")}"' in todo
    assert 'name="q"' in todo
    page = client.get(reverse("cases:list"), {"q": "8000"}).content.decode()
    assert people["wang"].number in page
    assert people["other"].number not in page
    assert people["far"].number not in page


def test_api_searches_people(people, client, township_clerk):
    out = StringIO()
    call_command("create_api_token", township_clerk.username, stdout=out, stderr=StringIO())
    headers = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}
    body = client.get("/api/v1/cases", {"q": "王建"}, **headers).json()
    assert [item["number"] for item in body["items"]] == [people["wang"].number]
    assert body["count"] == 1


def test_migration_indexes_the_phone_tails_of_existing_parties(people, township_clerk):
    from importlib import import_module

    from django.apps import apps

    from fengqiao.cases.models import Party

    Party.objects.update(phone_tail_index="")
    assert _found(township_clerk, "8000") == set()
    import_module("fengqiao.cases.migrations.0011_people_search").index_phone_tails(apps, None)
    assert _found(township_clerk, "8000") == {people["wang"]}
