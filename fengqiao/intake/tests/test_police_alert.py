"""人民调解法 art.25: a dispute that may become a public-order or criminal case is reported to the
police as well as the township: the 派出所 whose division covers the case's place (the deepest),
never one of another place; where none is registered the township is told to telephone."""

import pytest
from django.utils import translation

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import EventKind, RiskLevel
from fengqiao.cases.models import CaseEvent
from fengqiao.notifications.models import Notification
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db

THREAT = "李四扬言要拿刀砍人，双方矛盾激化"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _station(name: str, region, code: str, make_actor) -> tuple[Organisation, object]:
    station = Organisation.objects.create(
        name=name, kind=OrgKind.POLICE_STATION, region=region, code=code
    )
    return station, make_actor(Role.POLICE_LIAISON, station)


def _inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def _risk_event(case) -> CaseEvent:
    return CaseEvent.objects.get(case=case, kind=EventKind.RISK_FLAGGED)


def test_the_station_covering_the_place_is_alerted(
    register_case, tree, make_actor, django_capture_on_commit_callbacks
):
    _county_bureau, county_liaison = _station("湘阴县公安局", tree.county, "430624GA", make_actor)
    station, liaison = _station("静河派出所", tree.township, "430624122PCS", make_actor)
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(description=THREAT)
    [alert] = _inbox(liaison)
    assert case.number in alert.title
    assert "刀" in alert.body
    assert "静河村" in alert.body
    assert _inbox(county_liaison) == []  # the deepest covering organ, not every one above
    township = _inbox(director)
    assert township
    assert "静河派出所" in township[0].body
    event = _risk_event(case)
    assert event.data["police_station"] == station.code
    assert "静河派出所" in event.data["note"]


def test_a_station_of_another_place_is_not_alerted_and_the_township_is_told_to_telephone(
    register_case, tree, make_actor, django_capture_on_commit_callbacks
):
    _other, other_liaison = _station("石塘派出所", tree.other_township, "430624124PCS", make_actor)
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(description=THREAT)
    assert _inbox(other_liaison) == []
    [alert] = _inbox(director)
    assert "电话" in alert.body
    assert "公安机关" in alert.body
    event = _risk_event(case)
    assert event.data["police_station"] == ""
    assert "电话" in event.data["note"]


def test_a_station_of_the_village_wins_over_the_township_one(
    register_case, tree, make_actor, django_capture_on_commit_callbacks
):
    _township, township_liaison = _station("静河派出所", tree.township, "430624122PCS", make_actor)
    _village, village_liaison = _station("静河村警务室", tree.village, "430624122201JW", make_actor)
    with django_capture_on_commit_callbacks(execute=True):
        register_case(description=THREAT)
    assert len(_inbox(village_liaison)) == 1
    assert _inbox(township_liaison) == []


def test_a_criminal_risk_marked_by_the_clerk_alerts_too(
    register_case, tree, make_actor, django_capture_on_commit_callbacks
):
    """The words need not say it: a clerk who ticks 民转刑 raises the flag (before the fix the
    risk step saw no words and alerted nobody)."""
    _, liaison = _station("静河派出所", tree.township, "430624122PCS", make_actor)
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(description="两户因排水沟清理分工有分歧", is_criminal_risk=True)
    assert len(_inbox(liaison)) == 1
    assert len(_inbox(director)) == 1
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    assert "登记人" in "".join(_risk_event(case).data["reasons"])


def test_an_extreme_risk_alone_is_not_a_police_matter(
    register_case, tree, make_actor, django_capture_on_commit_callbacks
):
    _, liaison = _station("静河派出所", tree.township, "430624122PCS", make_actor)
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(description="讨薪无果，当事人称要去跳楼")
    assert _inbox(liaison) == []
    assert len(_inbox(director)) == 1
    assert "police_station" not in _risk_event(case).data


def test_nothing_is_sent_when_registration_rolls_back(register_case, tree, make_actor):
    _, liaison = _station("静河派出所", tree.township, "430624122PCS", make_actor)
    register_case(description=THREAT)  # the test transaction never commits
    assert _inbox(liaison) == []
