"""我的待办 (#16): every queue whole, counted and paged, in the page and the API; a unit's many
cases never hide the ones assigned to me."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case
from fengqiao.cases.selectors import TodoQueue, todo_queue_for
from fengqiao.cases.services import ActionInput, case_transition

pytestmark = pytest.mark.django_db


def _clone(case: Case, times: int, **changes: object) -> None:
    """Many more cases like ``case`` at once (registering 200 through the service is slow)."""
    fields = {
        f.attname: getattr(case, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "number")
    }
    fields.update(changes)
    Case.objects.bulk_create(Case(number=f"{case.number}-C{i:04d}", **fields) for i in range(times))


@pytest.fixture
def busy_unit(register_case, township_clerk):
    """205 open cases of the clerk's unit, due soonest, and one assigned to the clerk, due last
    (the shape that showed "本单位的 200" and "我承办的 0")."""
    today = timezone.localdate()
    unit_case = register_case(title="本单位的纠纷")
    Case.objects.filter(pk=unit_case.pk).update(due_date=today + timedelta(days=1))
    unit_case.refresh_from_db()
    _clone(unit_case, 204)
    mine = register_case(title="交给我办的纠纷")
    Case.objects.filter(pk=mine.pk).update(
        assignee=township_clerk, due_date=today + timedelta(days=60)
    )
    return mine


def test_my_case_is_listed_and_every_count_is_whole(busy_unit, client, township_clerk):
    client.force_login(township_clerk)
    response = client.get(reverse("cases:todo"))
    queues = {q.queue: q for q in response.context["queues"]}
    assert queues[TodoQueue.MINE].count == 1
    assert [c.pk for c in queues[TodoQueue.MINE].cases] == [busy_unit.pk]
    assert queues[TodoQueue.UNIT].count == 205
    assert queues[TodoQueue.DUE_SOON].count == 205
    assert queues[TodoQueue.OVERDUE].count == 0
    assert "?queue=unit" in response.content.decode()


def test_a_queue_pages_through_every_case(busy_unit, client, township_clerk):
    client.force_login(township_clerk)
    seen: list[int] = []
    for number in range(1, 10):
        page = client.get(reverse("cases:todo"), {"queue": "unit", "page": number})
        seen += [c.pk for c in page.context["page"].object_list]
    assert len(seen) == len(set(seen)) == 205
    assert busy_unit.pk not in seen


def test_overdue_due_soon_and_transfers_waiting_for_me(
    register_case, tree, make_actor, township_clerk
):
    today = timezone.localdate()
    late, soon, later, paused = (register_case(title=t) for t in ("迟", "近", "远", "停"))
    for case, days in ((late, -2), (soon, 3), (later, 4), (paused, -5)):
        Case.objects.filter(pk=case.pk).update(due_date=today + timedelta(days=days))
    Case.objects.filter(pk=paused.pk).update(deadline_paused_at=timezone.now())
    sender = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    sent = register_case(
        actor=sender, org=tree.other_township_centre, region=tree.other_township_village
    )
    case_transition(actor=sender, case_id=sent.pk, name="accept", action=ActionInput())
    case_transition(
        actor=sender,
        case_id=sent.pk,
        name="transfer",
        action=ActionInput(org_id=tree.township_centre.pk, note="属静河镇管辖"),
    )
    elsewhere = register_case(
        actor=sender, org=tree.other_township_centre, region=tree.other_township_village
    )
    Case.objects.filter(pk=elsewhere.pk).update(due_date=today - timedelta(days=9))

    def pks(queue: TodoQueue) -> list[int]:
        return [c.pk for c in todo_queue_for(actor=township_clerk, queue=queue)]

    assert pks(TodoQueue.OVERDUE) == [late.pk]
    assert pks(TodoQueue.DUE_SOON) == [soon.pk]  # FENGQIAO_DUE_SOON_DAYS = 3
    assert pks(TodoQueue.TRANSFERS) == [sent.pk]
    assert Case.objects.get(pk=sent.pk).status == CaseStatus.TRANSFERRING
    assert [c.pk for c in todo_queue_for(actor=sender, queue=TodoQueue.TRANSFERS)] == []
    assert elsewhere.pk not in pks(TodoQueue.OVERDUE)


def test_the_api_gives_each_queue_its_count_and_pages(busy_unit, client, township_clerk):
    out = StringIO()
    call_command("create_api_token", township_clerk.username, stdout=out, stderr=StringIO())
    headers = {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}
    mine = client.get("/api/v1/cases/todo", **headers).json()
    assert mine["queue"] == "mine"
    assert [item["id"] for item in mine["items"]] == [busy_unit.pk]
    assert mine["counts"]["unit"] == {"count": 205, "count_capped": False}
    assert mine["counts"]["mine"] == {"count": 1, "count_capped": False}
    last = client.get(
        "/api/v1/cases/todo", {"queue": "unit", "page": 3, "page_size": 100}, **headers
    ).json()
    assert len(last["items"]) == 5
    assert last["count"] == 205
    wrong = client.get("/api/v1/cases/todo", {"queue": "everything"}, **headers)
    assert wrong.status_code == 422
