"""A leader's 督办 from the case panel: only with supervision rights over the handling unit's
region; anyone else is refused and nothing is written. The unit replies; the board counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.audit.models import AuditEntry
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.exceptions import ConflictError, NotFound, PermissionDeniedError
from fengqiao.notifications.models import Notification, OutboundMessage
from fengqiao.supervision.choices import NoticeKind, NoticeStatus
from fengqiao.supervision.models import SupervisionNotice
from fengqiao.supervision.notices import supervision_issue, supervision_reply

pytestmark = pytest.mark.django_db


def nothing_written(case: Case, events_before: int, audit_before: int) -> bool:
    return (
        not SupervisionNotice.objects.exists()
        and not Notification.objects.exists()
        and not OutboundMessage.objects.exists()
        and CaseEvent.objects.filter(case=case).count() == events_before
        and AuditEntry.objects.count() == audit_before
    )


def test_outside_the_jurisdiction_is_not_found_and_nothing_is_written(register_case, people):
    case = register_case()
    events, audit = CaseEvent.objects.filter(case=case).count(), AuditEntry.objects.count()
    with pytest.raises(NotFound):
        supervision_issue(actor=people.outsider, case_id=case.pk, instructions="限期化解")
    with pytest.raises(PermissionDeniedError):  # inside, but a mediator supervises nobody
        supervision_issue(actor=people.mediator, case_id=case.pk, instructions="限期化解")
    assert nothing_written(case, events, audit)


def test_the_views_refuse_the_same_way(client, register_case, people):
    case = register_case()
    events, audit = CaseEvent.objects.filter(case=case).count(), AuditEntry.objects.count()
    client.force_login(people.outsider)
    url = f"/supervision/cases/{case.pk}/issue/"
    assert client.post(url, {"instructions": "限期化解"}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(f"/supervision/cases/{case.pk}/panel/").status_code == 404
    client.force_login(people.mediator)
    response = client.post(url, {"instructions": "限期化解"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert nothing_written(case, events, audit)


def test_a_county_leader_issues_and_the_unit_replies_from_the_panel(client, register_case, people):
    case = register_case()
    client.force_login(people.county_head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/supervision/cases/{case.pk}/panel/"' in page  # the case page loads it
    panel = client.get(f"/supervision/cases/{case.pk}/panel/")
    assert panel.status_code == 200
    assert b"/issue/" in panel.content
    assert (
        client.post(f"/supervision/cases/{case.pk}/issue/", {"instructions": ""}).status_code == 422
    )
    response = client.post(
        f"/supervision/cases/{case.pk}/issue/", {"instructions": "三日内报告化解进展"}
    )
    assert response.status_code == 200
    assert "case-changed" in response["HX-Trigger"]
    notice = SupervisionNotice.objects.get(case=case)
    assert (notice.kind, notice.issued_by) == (NoticeKind.MANUAL, people.county_head)

    client.force_login(people.township_head)
    assert (
        f"/notices/{notice.pk}/reply/".encode()
        in client.get(f"/supervision/cases/{case.pk}/panel/").content
    )
    response = client.post(
        f"/supervision/cases/{case.pk}/notices/{notice.pk}/reply/",
        {f"n{notice.pk}-reply": "已组织双方调解，约定下周签订协议。"},
    )
    assert response.status_code == 200
    notice.refresh_from_db()
    assert (notice.status, notice.replied_by) == (NoticeStatus.REPLIED, people.township_head)
    with pytest.raises(ConflictError):
        supervision_reply(
            actor=people.township_head, case_id=case.pk, notice_id=notice.pk, reply="再次回复"
        )


def test_only_the_handling_unit_replies(register_case, people):
    case = register_case()
    notice = supervision_issue(actor=people.county_head, case_id=case.pk, instructions="限期化解")
    with pytest.raises(PermissionDeniedError):
        supervision_reply(actor=people.leader, case_id=case.pk, notice_id=notice.pk, reply="好")
    with pytest.raises(NotFound):
        supervision_reply(actor=people.outsider, case_id=case.pk, notice_id=notice.pk, reply="好")


def test_the_board_counts_within_the_jurisdiction(client, register_case, people, tree):
    inside = register_case()
    outside = register_case(
        actor=people.outsider, org=tree.other_township_centre, region=tree.other_township_village
    )
    Case.objects.filter(pk__in=[inside.pk, outside.pk]).update(
        overdue_since=timezone.now(), due_date=timezone.localdate() - timedelta(days=1)
    )
    supervision_issue(actor=people.county_head, case_id=inside.pk, instructions="限期化解")
    supervision_issue(actor=people.county_head, case_id=outside.pk, instructions="限期化解")
    client.force_login(people.township_head)
    response = client.get("/supervision/board/")
    assert response.status_code == 200
    board = response.context["board"]
    assert board.counts["open_notices"] == 1
    assert board.counts["overdue_cases"] == 1
    assert inside.number in response.content.decode()
    assert outside.number not in response.content.decode()
    client.force_login(people.county_head)
    assert client.get("/supervision/board/").context["board"].counts["open_notices"] == 2
