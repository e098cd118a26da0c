"""The top bar offers each person only the sections their roles reach (issue #16 item 3)."""

import re

import pytest

from fengqiao.accounts.roles import Role
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db

CASE_WORK = ["我的待办", "案件列表"]
READING = [
    "矛盾纠纷排查",
    "调解员名册",
    "督办看板",
    "统计考核",
    "台账",
    "法律知识库",
    "村（社区）人员名册",
]
NAV = re.compile(r'<nav id="site-nav"[^>]*>(.*?)</nav>', re.S)


def _menu(client, user) -> list[str]:
    client.force_login(user)
    body = client.get("/supervision/inbox/").content.decode()
    found = NAV.search(body)
    assert found is not None
    return [
        re.sub(r"<[^>]+>|\s", "", label)
        for label in re.findall(r"<a [^>]*>(.*?)</a>", found.group(1), re.S)
    ]


@pytest.mark.parametrize(
    ("_case", "role", "org", "expected"),
    [
        (
            "a grid worker registers and reports, and reads his village's pages",
            Role.GRID_WORKER,
            "village_committee",
            [*CASE_WORK, "登记纠纷", "导入台账", "网格上报", *READING, "消息"],
        ),
        (
            "a read-only leader registers nothing",
            Role.READ_ONLY,
            "county_centre",
            [*CASE_WORK, *READING, "消息"],
        ),
        (
            "the audit administrator reads the audit log only",
            Role.AUDIT_ADMIN,
            "county_centre",
            ["审计日志", "消息"],
        ),
        (
            "the security administrator runs sign-in security only",
            Role.SECURITY_ADMIN,
            "county_centre",
            ["登录安全", "消息"],
        ),
    ],
)
def test_the_menu_lists_what_the_role_reaches(_case, role, org, expected, client, tree, make_actor):
    user = make_actor(role, getattr(tree, org))
    if role == Role.GRID_WORKER:
        tree.grid.workers.add(user)
    assert _menu(client, user) == expected


def test_the_grid_report_is_offered_only_to_those_who_work_a_grid(client, tree, make_actor):
    """Anyone who registers was offered 网格上报, and the court liaison, the petition liaison
    and the clerk each met a page saying they work no grid (issue #21, the role walks)."""
    clerk = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="clerk")
    tree.grid.workers.add(clerk)  # even on a grid's list, the form is the grid worker's
    assert "网格上报" not in _menu(client, clerk)
    worker = make_actor(Role.GRID_WORKER, tree.village_committee, username="gridder")
    assert "网格上报" in _menu(client, worker)


def test_the_system_administrator_is_offered_the_administration_and_no_case(
    client, tree, make_actor
):
    admin = make_actor(Role.SYSTEM_ADMIN, tree.county_centre)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    assert _menu(client, admin) == ["系统管理", "消息"]
    body = client.get("/supervision/inbox/").content.decode()
    assert 'role="search"' not in body  # the quick search answers from cases he may not read


def test_legal_aid_is_offered_to_the_staff_of_a_legal_aid_centre(client, tree, make_actor):
    centre = Organisation.objects.create(
        name="湘阴县法律援助中心",
        kind=OrgKind.LEGAL_AID_CENTRE,
        region=tree.county,
        code="430624FY01",
    )
    assert "法律援助" in _menu(client, make_actor(Role.READ_ONLY, centre))
    assert "法律援助" not in _menu(client, make_actor(Role.READ_ONLY, tree.county_centre))


@pytest.mark.parametrize("role", Role.values)
def test_every_link_offered_opens(role, client, tree, make_actor):
    client.force_login(make_actor(role, tree.township_centre))
    body = client.get("/supervision/inbox/").content.decode()
    found = NAV.search(body)
    assert found is not None
    for url in re.findall(r'href="([^"]+)"', found.group(1)):
        if url.startswith("/admin/"):
            continue  # the admin has its own second sign-in step
        assert client.get(url).status_code == 200, url


def test_the_page_s_section_is_marked_current(client, tree, make_actor):
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    body = client.get("/cases/?q=x").content.decode()
    current = re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', body)
    assert current == ["/cases/"]  # not 我的待办 at /, although every path starts with it
