"""Fixtures shared by every app's tests: one small real region tree, its organisations, and
actors made through the real services (STYLE Example 12)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.categories import ensure_default_categories
from fengqiao.cases.choices import Gender, IdType
from fengqiao.cases.deadlines import ensure_default_policies
from fengqiao.cases.models import Case, DeadlinePolicy, DisputeCategory
from fengqiao.cases.party_services import ParticularsDraft, party_particulars_record
from fengqiao.cases.services import CaseDraft
from fengqiao.core import refcache
from fengqiao.demo.privacy import JINGHE_NOTICE
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.privacy.models import PrivacyNotice
from fengqiao.privacy.services import notice_publish
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Grid, Region
from tests.factories import (
    CaseDraftFactory,
    CaseFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_reference_snapshots() -> None:
    """Each test starts with this process's reference-data snapshots empty (``core.refcache``):
    the rolled-back transaction of the test before took its version back, but not the memory."""
    refcache.clear_local()


@dataclass
class Tree:
    """湘阴县 › 静河镇 › 两个村, plus a neighbouring township: real codes from shared/data."""

    county: Region
    township: Region
    village: Region
    other_village: Region
    other_township: Region
    other_township_village: Region
    county_centre: Organisation
    medical_committee: Organisation
    township_centre: Organisation
    justice_office: Organisation
    village_committee: Organisation
    other_village_committee: Organisation
    other_township_centre: Organisation
    grid: Grid


def _region(
    code: str, name: str, level: int, parent: Region | None, population: int = 3000
) -> Region:
    return RegionFactory(code=code, name=name, level=level, parent=parent, population=population)


def _org(name: str, kind: str, region: Region, code: str) -> Organisation:
    return OrganisationFactory(name=name, kind=kind, region=region, code=code)


@pytest.fixture
def tree(db) -> Tree:
    # A transactional test before this one may have flushed what the data migrations seeded.
    ensure_default_categories(DisputeCategory)
    ensure_default_policies(DeadlinePolicy, DisputeCategory)
    province = _region("430000000000", "湖南省", RegionLevel.PROVINCE, None)
    city = _region("430600000000", "岳阳市", RegionLevel.CITY, province)
    county = _region("430624000000", "湘阴县", RegionLevel.COUNTY, city, 600000)
    township = _region("430624122000", "静河镇", RegionLevel.TOWNSHIP, county, 40000)
    village = _region("430624122201", "静河村", RegionLevel.VILLAGE, township)
    other_village = _region("430624122202", "湾河村", RegionLevel.VILLAGE, township)
    other_township = _region("430624124000", "石塘镇", RegionLevel.TOWNSHIP, county, 30000)
    other_township_village = _region("430624124201", "石塘村", RegionLevel.VILLAGE, other_township)
    grid = Grid.objects.create(code="430624122201001", name="第一网格", village=village)
    return Tree(
        county=county,
        township=township,
        village=village,
        other_village=other_village,
        other_township=other_township,
        other_township_village=other_township_village,
        county_centre=_org("湘阴县矛调中心", OrgKind.CENTRE, county, "430624ZZ"),
        medical_committee=_org(
            "湘阴县医疗纠纷人民调解委员会", OrgKind.PROFESSIONAL_COMMITTEE, county, "430624YL"
        ),
        township_centre=_org("静河镇矛调中心", OrgKind.CENTRE, township, "430624122ZZ"),
        justice_office=_org("静河司法所", OrgKind.JUSTICE_OFFICE, township, "430624122SF"),
        village_committee=_org(
            "静河村人民调解委员会", OrgKind.VILLAGE_COMMITTEE, village, "430624122201TW"
        ),
        other_village_committee=_org(
            "湾河村人民调解委员会", OrgKind.VILLAGE_COMMITTEE, other_village, "430624122202TW"
        ),
        other_township_centre=_org("石塘镇矛调中心", OrgKind.CENTRE, other_township, "430624124ZZ"),
        grid=grid,
    )


@pytest.fixture
def township_committee(tree: Tree) -> Organisation:
    """静河镇人民调解委员会: the body that mediates and seals the township's cases (the centre
    refers them to it; issue #14: a centre seals nothing)."""
    return _org("静河镇人民调解委员会", OrgKind.TOWNSHIP_COMMITTEE, tree.township, "430624122TJ")


@pytest.fixture
def police_station(tree: Tree) -> Organisation:
    """静河派出所, whose area is the township: the police side of 双背书 and of 民转刑 reports."""
    return _org("静河派出所", OrgKind.POLICE_STATION, tree.township, "430624122PCS")


MakeActor = Callable[..., User]


@pytest.fixture
def make_actor(tree: Tree) -> MakeActor:
    """A user with one membership: ``make_actor(Role.MEDIATOR, tree.village_committee)``."""
    counter = {"n": 0}

    def make(
        role: str, org: Organisation, *, region: Region | None = None, username: str = ""
    ) -> User:
        counter["n"] += 1
        return UserFactory(
            username=username or f"{role}{counter['n']}",
            full_name=f"测试{counter['n']}",
            roles=[(role, org, region or org.region)],
        )

    return make


@pytest.fixture
def township_clerk(make_actor: MakeActor, tree: Tree) -> User:
    return make_actor(Role.CENTRE_DIRECTOR, tree.township_centre, username="clerk")


@pytest.fixture
def village_mediator(make_actor: MakeActor, tree: Tree) -> User:
    return make_actor(Role.MEDIATOR, tree.village_committee, username="mediator")


def draft_for(org: Organisation, region: Region, **overrides: object) -> CaseDraft:
    """A valid draft; tests override what they are about."""
    return CaseDraftFactory.build(org=org, place=region, **overrides)


# Particulars a mediator records once mediation starts (人民调解法 art.29), by party name.
FULL_PARTICULARS: dict[str, ParticularsDraft] = {
    "张三": ParticularsDraft(
        ethnicity="汉族",
        occupation="农民",
        address="湖南省湘阴县静河镇静河村三组12号",
    ),
    "李四": ParticularsDraft(
        gender=Gender.MALE,
        ethnicity="土家族",
        birth_date=date(1975, 6, 18),
        occupation="个体工商户",
        address="湖南省湘阴县静河镇静河村三组15号",
        id_type=IdType.RESIDENT_ID,
        id_number="43062419750618451X",
    ),
}


def complete_particulars(case: Case, actor: User) -> None:
    """Record every party's full particulars through the real service (a party this table
    does not name gets 李四's; a number already registered stays)."""
    for party in case.parties.all():
        draft = FULL_PARTICULARS.get(party.name, FULL_PARTICULARS["李四"])
        if party.id_number_masked:  # keep the number registered (性别 and 出生日期 follow it)
            draft = replace(draft, gender="", birth_date=None, id_type="", id_number="")
        if not party.phone_masked:
            draft = replace(draft, phone="13907301234")
        party_particulars_record(actor=actor, case_id=case.pk, party_id=party.pk, draft=draft)


@pytest.fixture
def register_case(tree: Tree, township_clerk: User) -> Callable[..., Case]:
    """Register a case at the township centre (placed in 静河村) through the real service."""

    def register(
        actor: User | None = None,
        org: Organisation | None = None,
        region: Region | None = None,
        **overrides: object,
    ) -> Case:
        return CaseFactory(
            actor=actor or township_clerk,
            org=org or tree.township_centre,
            region=region or tree.village,
            **overrides,
        )

    return register


@pytest.fixture
def privacy_notice(db) -> PrivacyNotice:
    """The privacy notice in force (静河镇's, as the demo publishes it): without one the portal
    accepts no personal information."""
    return notice_publish(actor=None, **JINGHE_NOTICE)
