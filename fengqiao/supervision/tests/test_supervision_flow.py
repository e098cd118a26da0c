"""督办 end to end through the periodic tasks as the scheduler runs them (immediate backend):
a case goes overdue → the automatic notice reaches the unit head, the level above and the 包案
leader → the reply does not come → it is marked overdue → it is escalated to the county → the
unit replies that mediation failed and the case is escalated through the workflow executor."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import CaseStatus, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.scheduler import enqueue_due
from fengqiao.notifications.choices import NotificationKind
from fengqiao.notifications.models import Notification
from fengqiao.supervision.choices import NoticeKind, NoticeStatus
from fengqiao.supervision.models import SupervisionNotice
from fengqiao.supervision.notices import supervision_reply
from fengqiao.supervision.tasks import sweep_supervision

pytestmark = pytest.mark.django_db


def steps(case: Case) -> list[tuple[str, str]]:
    events = CaseEvent.objects.filter(
        case=case, kind__in=[EventKind.SUPERVISED, EventKind.SUPERVISION_REPLIED]
    ).order_by("seq")
    return [(e.kind, e.data["step"]) for e in events]


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_overdue_to_escalation_through_the_worker(
    register_case, people, tree, settings, django_capture_on_commit_callbacks
):
    case = register_case()
    case_transition(actor=people.township_head, case_id=case.pk, name="accept")
    Case.objects.filter(pk=case.pk).update(
        due_date=timezone.localdate() - timedelta(days=2), lead=people.leader
    )
    paths = [p for p, _ in settings.FENGQIAO_PERIODIC_TASKS]
    assert paths.index("fengqiao.supervision.tasks.sweep_supervision") > paths.index(
        "fengqiao.cases.tasks.mark_overdue_cases"
    )

    with django_capture_on_commit_callbacks(execute=True):
        enqueued = enqueue_due(timezone.now())
    assert "fengqiao.supervision.tasks.sweep_supervision" in enqueued
    notice = SupervisionNotice.objects.get(case=case)  # once, though hook and sweep both ran
    assert (notice.kind, notice.status, notice.level) == (NoticeKind.AUTO, NoticeStatus.OPEN, 0)
    assert (notice.to_org, notice.above_org) == (tree.township_centre, tree.county_centre)
    assert notice.reply_due > timezone.localdate()
    assert recipients(NotificationKind.SUPERVISION) == {
        people.township_head.username,
        people.county_head.username,
        people.leader.username,  # the 包案 leader gets the copy
    }
    assert steps(case) == [(EventKind.SUPERVISED, "issued")]

    # Another sweep in the same episode issues nothing new.
    assert sweep_supervision.enqueue().return_value["issued"] == 0

    # Nobody answers: the reply is late long enough for the county to take it up (提级督办).
    SupervisionNotice.objects.filter(pk=notice.pk).update(
        reply_due=timezone.localdate() - timedelta(days=10)
    )
    result = sweep_supervision.enqueue().return_value
    assert (result["overdue"], result["escalated"]) == (1, 1)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OVERDUE
    upper = notice.escalated_to
    assert (upper.level, upper.status, upper.above_org) == (
        1,
        NoticeStatus.OPEN,
        tree.county_centre,
    )
    assert steps(case) == [
        (EventKind.SUPERVISED, "issued"),
        (EventKind.SUPERVISED, "reply_overdue"),
        (EventKind.SUPERVISED, "escalated"),
    ]
    assert people.county_head.username in recipients(NotificationKind.SUPERVISION_ESCALATED)
    assert sweep_supervision.enqueue().return_value["escalated"] == 0  # once

    # The township replies that mediation failed and escalates the case: the one executor.
    supervision_reply(
        actor=people.township_head,
        case_id=case.pk,
        notice_id=upper.pk,
        reply="双方分歧较大，调解未成，请县级协调。",
        escalate_case=True,
    )
    case.refresh_from_db()
    assert (case.status, case.transfer_from) == (CaseStatus.TRANSFERRING, tree.township_centre)
    transitioned = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITIONED).latest("seq")
    assert transitioned.data["transition"] == "escalate"
    assert steps(case)[-1] == (EventKind.SUPERVISION_REPLIED, "replied")
    audited = AuditEntry.objects.filter(action=AuditAction.CASE_RECORDED, extra__case=case.pk)
    assert audited.count() == 4  # issued, overdue, escalated, replied


def test_a_new_overdue_episode_gets_a_new_notice(register_case, people):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(overdue_since=timezone.now() - timedelta(days=3))
    assert sweep_supervision.enqueue().return_value["issued"] == 1
    Case.objects.filter(pk=case.pk).update(overdue_since=timezone.now())  # extended, late again
    assert sweep_supervision.enqueue().return_value["issued"] == 1
    assert SupervisionNotice.objects.filter(case=case, kind=NoticeKind.AUTO).count() == 2


def test_a_concluded_case_closes_its_late_notice_instead_of_escalating(register_case, people):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(overdue_since=timezone.now())
    sweep_supervision.enqueue()
    case_transition(
        actor=people.township_head,
        case_id=case.pk,
        name="withdraw",
        action=ActionInput(note="申请人撤回"),
    )
    SupervisionNotice.objects.update(reply_due=timezone.localdate() - timedelta(days=10))
    result = sweep_supervision.enqueue().return_value
    assert (result["overdue"], result["escalated"]) == (0, 0)
    assert SupervisionNotice.objects.get().status == NoticeStatus.CLOSED


def test_an_unanswered_automatic_notice_cannot_be_closed(
    register_case, people, django_capture_on_commit_callbacks
):
    """Issue #21: a director could 办结 an automatic 督办 that was never answered."""
    from fengqiao.core.exceptions import ConflictError
    from fengqiao.supervision.notices import supervision_close
    from fengqiao.supervision.selectors import case_supervision_for

    case = register_case()
    case_transition(actor=people.township_head, case_id=case.pk, name="accept")
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due(timezone.now())
    notice = SupervisionNotice.objects.get(case=case)
    assert notice.kind == NoticeKind.AUTO
    events = CaseEvent.objects.filter(case=case).count()
    panel = case_supervision_for(actor=people.county_head, case_id=case.pk)
    assert notice.pk not in panel.may_close
    with pytest.raises(ConflictError):
        supervision_close(actor=people.county_head, case_id=case.pk, notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OPEN
    assert CaseEvent.objects.filter(case=case).count() == events  # no trace
    supervision_reply(
        actor=people.township_head, case_id=case.pk, notice_id=notice.pk, reply="已约双方调解"
    )
    assert notice.pk in case_supervision_for(actor=people.county_head, case_id=case.pk).may_close
    supervision_close(actor=people.county_head, case_id=case.pk, notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
