"""并案 (merge) and the extension points other apps use: guards, after-transition and
after-registration callbacks, timeline events from other apps, case-page panels."""

import pytest
from django.urls import reverse

from fengqiao.audit.models import AuditEntry
from fengqiao.cases import hooks, panels
from fengqiao.cases.choices import CaseOutcome, CaseStatus, EventKind
from fengqiao.cases.ledger import verify
from fengqiao.cases.models import CaseEvent, CaseLink, CaseLinkKind
from fengqiao.cases.services import ActionInput, case_record_event, case_transition
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked

pytestmark = pytest.mark.django_db


def merge(actor, case, primary_number: str, note: str = "同一纠纷，并案处理"):
    return case_transition(
        actor=actor,
        case_id=case.pk,
        name="merge",
        action=ActionInput(merge_into=primary_number, note=note),
    )


def test_merge_closes_the_duplicate_and_the_primary_keeps_its_events(
    register_case, township_clerk, client
):
    primary = register_case(title="宅基地边界纠纷（网格上报）")
    duplicate = register_case(title="宅基地边界纠纷（110转来）", source_ref="J001")

    merged = merge(township_clerk, duplicate, primary.number)

    assert (merged.status, merged.outcome) == (CaseStatus.CLOSED, CaseOutcome.MERGED)
    assert merged.merged_into == primary
    primary.refresh_from_db()
    assert primary.is_open
    assert CaseEvent.objects.get(case=primary, kind=EventKind.MERGED).data["merged"] == (
        duplicate.number
    )
    link = CaseLink.objects.get()
    assert (link.case, link.other, link.kind) == (primary, duplicate, CaseLinkKind.DUPLICATE)
    assert list(verify([primary.pk, duplicate.pk])) == []  # both chains intact

    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[primary.pk])).content.decode()
    assert duplicate.number in page  # the merged case's events are on the primary's timeline
    assert "宅基地边界纠纷（110转来）" not in page or duplicate.number in page


def test_merge_needs_an_open_primary_in_reach_and_leaves_no_trace_otherwise(
    register_case, township_clerk, tree, make_actor
):
    from fengqiao.accounts.roles import Role

    case = register_case()
    closed = register_case()
    merge(township_clerk, closed, register_case().number)  # closed is now merged (closed)
    elsewhere_clerk = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    elsewhere = register_case(
        actor=elsewhere_clerk, org=tree.other_township_centre, region=tree.other_township_village
    )
    events, audits = CaseEvent.objects.count(), AuditEntry.objects.count()

    for number, message in [
        ("", "此项为必填项。"),
        (case.number, "案件不能并入其自身。"),
        (closed.number, "主案件须为尚未办结的案件。"),
        (elsewhere.number, "您的管辖范围内没有该编号的案件。"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            merge(township_clerk, case, number)
        assert raised.value.errors["merge_into"] == [message], number

    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)
    case.refresh_from_db()
    assert case.merged_into is None
    assert case.status == CaseStatus.REGISTERED


def test_a_merged_case_cannot_be_reopened(register_case, township_clerk):
    duplicate = register_case()
    merge(township_clerk, duplicate, register_case().number)
    with pytest.raises(TransitionBlocked) as raised:
        case_transition(
            actor=township_clerk, case_id=duplicate.pk, name="reopen", action=ActionInput(note="x")
        )
    assert "并案" in raised.value.reasons[0]


def test_a_registered_guard_blocks_with_its_reason(register_case, township_clerk):
    case = register_case()

    def not_on_fridays(case):
        return "测试守卫：暂不受理"

    hooks.add_guard("accept", not_on_fridays)
    try:
        with pytest.raises(TransitionBlocked) as raised:
            case_transition(actor=township_clerk, case_id=case.pk, name="accept")
        assert raised.value.reasons == ["测试守卫：暂不受理"]
    finally:
        hooks._guards["accept"].remove(not_on_fridays)
    case_transition(actor=township_clerk, case_id=case.pk, name="accept")


def test_callbacks_run_inside_the_transaction(register_case, township_clerk):
    seen: list[tuple[str, str]] = []

    def after_transition(case, transition, action, actor):
        seen.append(("transition", transition))

    hooks.on_transition(after_transition)
    try:
        case = register_case()
        case_transition(actor=township_clerk, case_id=case.pk, name="accept")
    finally:
        hooks._after.remove(after_transition)
    assert seen == [("transition", "accept")]


def test_registration_has_no_hooks_left():
    """Issue #12: what runs after a case is registered is called by ``intake.pipeline``, not
    registered into ``cases`` at start-up."""
    assert not hasattr(hooks, "on_register")
    assert not hasattr(hooks, "set_router")


def test_other_apps_append_events_to_the_chain(register_case, township_clerk, tree, make_actor):
    from fengqiao.accounts.roles import Role

    case = register_case()
    event = case_record_event(
        actor=township_clerk,
        case_id=case.pk,
        kind=EventKind.SESSION_RECORDED,
        data={"place": "村委会调解室"},
    )
    assert event.seq == 2
    case.refresh_from_db()
    assert (case.event_count, case.ledger_head) == (2, event.hash)
    assert list(verify([case.pk])) == []

    stranger = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    with pytest.raises(NotFound):
        case_record_event(
            actor=stranger, case_id=case.pk, kind=EventKind.NOTE_ADDED, data={"note": "x"}
        )
    system = case_record_event(
        actor=stranger, case_id=case.pk, kind=EventKind.NOTE_ADDED, data={}, scoped=False
    )
    assert system.seq == 3
    with pytest.raises(ValueError, match="unknown event kind"):
        case_record_event(actor=township_clerk, case_id=case.pk, kind="made_up", data={})


def test_registered_panels_load_on_the_case_page(register_case, township_clerk, client):
    case = register_case()
    panels.register(panels.CasePanel(key="probe", title="探针", url_name="cases:header"))
    try:
        client.force_login(township_clerk)
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    finally:
        panels._panels.pop("probe")
    assert 'id="panel-probe"' in page
    assert reverse("cases:header", args=[case.pk]) in page
