"""The event feed: exactly the case list's scope, every event once and in order, a cursor that
survives a restart, and (PostgreSQL) no event lost to a transaction that commits late."""

import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.services import case_record_event, case_transition
from fengqiao.feed import selectors

URL = "/api/v1/events"

# On PostgreSQL the feed shows only what finished transactions wrote, and a test's own
# transaction never finishes, so there the tests commit for real. SQLite cannot empty the
# append-only timeline between such tests (no TRUNCATE), and needs no commit: one writer.
COMMITS = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db(transaction=COMMITS)


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(actor=system_actor(), user=user)}


def _page(client: Client, auth: dict[str, str], after: str = "", limit: int = 100) -> Any:
    response = client.get(URL, {"after": after, "limit": limit}, **auth)
    assert response.status_code == 200, response.content
    return response.json()


def _drain(client: Client, auth: dict[str, str], after: str = "", limit: int = 2) -> tuple:
    ids: list[int] = []
    while True:
        page = _page(client, auth, after, limit)
        ids += [item["id"] for item in page["items"]]
        after = page["next_cursor"]
        if not page["has_more"]:
            return ids, after


def test_a_feed_resumed_after_a_restart_loses_nothing_and_repeats_nothing(
    tree, township_clerk, register_case
):
    first, second = register_case(), register_case(title="土地承包纠纷")
    case_transition(actor=township_clerk, case_id=first.pk, name="accept")
    auth = _bearer(township_clerk)
    seen, cursor = _drain(Client(), auth)
    assert seen == list(CaseEvent.objects.order_by("pk").values_list("pk", flat=True))
    assert len(seen) >= 3  # registered ×2, accepted, and what other apps append

    # More happens while the reader is down; then a new process: new client, no cache, new
    # database connection, nothing kept but the cursor string.
    case_transition(actor=township_clerk, case_id=second.pk, name="accept")
    third = register_case(title="邻里噪音纠纷")
    cache.clear()
    if COMMITS:  # in SQLite's test transaction the connection is the database
        connection.close()

    resumed, end = _drain(Client(), auth, after=cursor)
    expected = CaseEvent.objects.filter(pk__gt=seen[-1]).order_by("pk")
    assert resumed == list(expected.values_list("pk", flat=True))
    assert len(resumed) >= 2
    assert set(resumed).isdisjoint(seen)
    assert CaseEvent.objects.filter(case=third).exists()

    # At the end, the cursor stays put until something new happens.
    again = _page(Client(), auth, after=end)
    assert again == {"items": [], "next_cursor": end, "has_more": False}


def test_each_event_carries_its_case_kind_chain_and_a_beijing_time(township_clerk, register_case):
    case = register_case()
    item = _page(Client(), _bearer(township_clerk))["items"][0]
    event = CaseEvent.objects.get(case=case, seq=1)
    assert item["case"] == {"id": case.pk, "number": case.number}
    assert (item["id"], item["seq"], item["kind"], item["kind_label"]) == (
        event.pk,
        1,
        "registered",
        "已登记",
    )
    assert item["hash"] == event.hash
    assert item["prev_hash"] == event.prev_hash
    assert item["occurred_at"].endswith("+08:00")
    assert item["org"]["code"] == event.org.code


def test_a_token_sees_the_events_of_exactly_the_cases_the_case_list_shows(
    tree, make_actor, township_clerk, register_case
):
    register_case()  # in 静河村
    register_case(region=tree.other_village, title="湾河村纠纷")
    village = make_actor(Role.MEDIATOR, tree.village_committee)
    neighbour = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client = Client()

    for user in (township_clerk, village, neighbour):
        auth = _bearer(user)
        listed = {c["id"] for c in client.get("/api/v1/cases", **auth).json()["items"]}
        fed = {item["case"]["id"] for item in _page(client, auth)["items"]}
        assert fed == listed
    assert len(listed) == 0  # the neighbouring township sees nothing
    assert _page(client, _bearer(neighbour)) == {"items": [], "next_cursor": "", "has_more": False}


@pytest.mark.parametrize("cursor", ["garbage", "MS4wLi0x", "Mi4wLjE", "MS54LjE"])
def test_a_cursor_the_feed_did_not_issue_is_refused_with_a_field_error(township_clerk, cursor):
    response = Client().get(URL, {"after": cursor}, **_bearer(township_clerk))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "after": ["请使用此前某页返回的 next_cursor，或留空从头开始。"]
    }


def test_the_feed_needs_a_token():
    response = Client().get(URL)
    assert response.status_code == 401


def test_cursors_round_trip():
    position = selectors.Position(123456789, 42)
    assert selectors.position_decode(position.encode()) == position
    assert selectors.position_decode("") == selectors.START


@pytest.mark.skipif(not COMMITS, reason="concurrent writers need PostgreSQL")
def test_an_event_written_by_a_transaction_that_commits_late_is_not_stepped_over(
    township_clerk, register_case
):
    # Transaction A appends its event first (the smaller event id) and commits last; paging by
    # event id alone would hand out B's event and move the cursor past A's for good.
    slow_case, quick_case = register_case(), register_case(title="土地承包纠纷")
    auth = _bearer(township_clerk)
    _seen, cursor = _drain(Client(), auth)
    started, finish = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def note(case_id: int, text: str) -> CaseEvent:
        kind, data = EventKind.NOTE_ADDED, {"note": text}
        return case_record_event(actor=township_clerk, case_id=case_id, kind=kind, data=data)

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                note(slow_case.pk, "先写、后提交")
                started.set()
                finish.wait(timeout=30)
        except BaseException as error:  # reported to the test below
            failures.append(error)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert started.wait(timeout=30)
    quick = note(quick_case.pk, "后写、先提交")  # committed now

    early = _page(Client(), auth, after=cursor)
    # Nothing is shown while an older transaction is still running: B's event waits behind A's.
    assert early == {"items": [], "next_cursor": cursor, "has_more": False}
    finish.set()
    writer.join(timeout=30)
    assert failures == []

    later = _page(Client(), auth, after=early["next_cursor"])
    slow = CaseEvent.objects.get(case=slow_case, data__note="先写、后提交")
    assert slow.pk < quick.pk
    assert [item["id"] for item in later["items"]] == [slow.pk, quick.pk]
