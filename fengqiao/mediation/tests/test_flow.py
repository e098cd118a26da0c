"""Performance and 回访, failure on a court-delegated case, and jurisdiction."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseStatus, Channel, EventKind, TerminationReason
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import NotFound
from fengqiao.mediation import court, services
from fengqiao.mediation.choices import (
    FollowUpState,
    PerformanceState,
    ReferralChannel,
    Satisfaction,
)
from fengqiao.mediation.models import FailureRecord, FollowUp, Referral, Session
from fengqiao.mediation.selectors import court_result_for, follow_ups_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(mediating, director, written_agreement, sign_all):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    case.refresh_from_db()
    return case, agreement


def test_follow_ups_are_scheduled_and_due(resolved):
    case, agreement = resolved
    visits = list(FollowUp.objects.filter(case=case).order_by("due_on"))
    assert [v.term_id for v in visits] == [None, agreement.terms.get().pk]
    today = timezone.localdate()
    assert list(follow_ups_due(today)) == []
    assert list(follow_ups_due(today + timedelta(days=15))) == [visits[0]]


def test_a_satisfied_visit_with_the_term_performed(resolved, director):
    case, agreement = resolved
    visit = FollowUp.objects.get(case=case, term__isnull=False)
    services.follow_up_record(
        actor=director,
        follow_up_id=visit.pk,
        done_on=timezone.localdate(),
        method="电话",
        outcome="款项已付清",
        satisfaction=Satisfaction.SATISFIED,
        term_performed=True,
    )
    term = agreement.terms.get()
    assert term.state == PerformanceState.PERFORMED
    kinds = list(case.events.values_list("kind", flat=True))
    assert EventKind.FOLLOW_UP_RECORDED in kinds
    assert EventKind.PERFORMANCE_RECORDED in kinds


def test_non_performance_on_a_resolved_case_keeps_a_pending_visit_and_refers(resolved, director):
    case, agreement = resolved
    visit = FollowUp.objects.get(case=case, term__isnull=False)
    services.follow_up_record(
        actor=director,
        follow_up_id=visit.pk,
        done_on=timezone.localdate(),
        method="上门",
        outcome="李四拒不付款",
        satisfaction=Satisfaction.DISSATISFIED,
        term_performed=False,
        refer_to_enforcement="湘阴县人民法院",
    )
    assert agreement.terms.get().state == PerformanceState.NOT_PERFORMED
    assert FollowUp.objects.filter(case=case, state=FollowUpState.SCHEDULED).count() == 2
    assert Referral.objects.get(case=case).channel == ReferralChannel.ENFORCEMENT
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_non_performance_reopens_a_closed_case(resolved, director):
    case, _agreement = resolved
    case_transition(actor=director, case_id=case.pk, name="close", action=ActionInput(note="结案"))
    visit = FollowUp.objects.get(case=case, term__isnull=False)
    services.follow_up_record(
        actor=director,
        follow_up_id=visit.pk,
        done_on=timezone.localdate(),
        method="上门",
        outcome="未履行",
        satisfaction=Satisfaction.DISSATISFIED,
        term_performed=False,
        reopen=True,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert case.events.filter(kind=EventKind.TRANSITIONED, data__transition="reopen").exists()


def test_failed_court_case_reports_undisputed_facts(
    mediating, director, monkeypatch, django_capture_on_commit_callbacks
):
    case = mediating(channel=Channel.COURT)
    parties = list(case.parties.all())
    services.failure_record(
        actor=director,
        case_id=case.pk,
        other_routes="告知可向法院起诉",
        routes_notified_on=timezone.localdate(),
        undisputed_facts="双方确认借款金额为3万元",
        confirmed_party_ids=[p.pk for p in parties],
    )
    sent = []
    from fengqiao.intake.channels import court as court_channel

    monkeypatch.setattr(court_channel, "report_result", lambda c, r: sent.append((c.pk, r)))
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            actor=director,
            case_id=case.pk,
            name="terminate",
            action=ActionInput(termination_reason=TerminationReason.TOO_FAR_APART, note="分歧过大"),
        )
    case.refresh_from_db()
    result = court_result_for(case)
    assert result["outcome"] == "terminated"
    assert result["termination_reason"] == TerminationReason.TOO_FAR_APART
    assert result["undisputed_facts"] == "双方确认借款金额为3万元"
    assert result["facts_confirmed_by"] == sorted(p.name for p in parties)
    assert sent == [(case.pk, result)]
    assert {"record_agreement", "terminate"} == court.REPORTED_TRANSITIONS


def test_agreed_court_case_result_lists_terms(resolved):
    case, agreement = resolved
    result = court_result_for(case)
    assert result["outcome"] == "agreement"
    assert result["terms"][0]["content"] == agreement.terms.get().content


def test_outsider_gets_404_and_nothing_is_written(mediating, outsider, client):
    case = mediating(prepared=False)
    events, audits = CaseEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(NotFound):
        services.session_record(
            actor=outsider,
            case_id=case.pk,
            held_at=timezone.now(),
            mode="online",
            record_text="越权记录",
        )
    client.force_login(outsider)
    assert client.get(reverse("mediation:panel", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("mediation:act", args=[case.pk, "investigation"]),
        {
            "investigated_on": "2026-01-05",
            "investigators": "某",
            "subject": "某",
            "record_text": "越权",
        },
    )
    assert response.status_code == 404
    assert not Session.objects.exists()
    assert not FailureRecord.objects.exists()
    assert (CaseEvent.objects.count(), AuditEntry.objects.count()) == (events, audits)


def test_panel_shows_the_checklist_and_a_step_records_through_the_view(mediating, director, client):
    case = mediating()
    client.force_login(director)
    response = client.post(
        reverse("mediation:act", args=[case.pk, "agreement"]),
        {"form": "written", "facts": "事实", "t1_content": "赔偿500元"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"]
    page = client.get(reverse("mediation:panel", args=[case.pk])).content.decode()
    assert "art29-checklist" in page
    response = client.post(reverse("mediation:act", args=[case.pk, "effective"]), {"note": ""})
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == CaseStatus.MEDIATING


def test_roster_pages_and_subsidy_export(director, client, tree):
    from fengqiao.orgs.models import Mediator

    Mediator.objects.create(name="王调解", kind="full_time", org=tree.township_centre)
    client.force_login(director)
    assert "王调解" in client.get(reverse("mediation:roster")).content.decode()
    response = client.get(reverse("mediation:subsidy") + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_subsidy_export_keeps_a_formula_looking_name_as_text(director, client, tree):
    """Issue #17: a mediator named ``=HYPERLINK(...)`` became a live formula in the sheet."""
    import io

    from openpyxl import load_workbook

    from fengqiao.orgs.models import Mediator

    Mediator.objects.create(
        name='=HYPERLINK("http://x.example","点我")', kind="full_time", org=tree.township_centre
    )
    client.force_login(director)
    response = client.get(reverse("mediation:subsidy") + "?format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for row in ws.iter_rows() for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert str(cell.value).startswith("'=")


def test_the_roster_names_specialties_instead_of_codes(director, client, tree):
    """Issue #21: raw English codes (housing_homestead) showed in the roster."""
    from fengqiao.orgs.models import Mediator

    mediator = Mediator.objects.create(
        name="李调解",
        kind="full_time",
        org=tree.township_centre,
        specialties=["housing_homestead", "neighbour"],
    )
    client.force_login(director)
    for url in (reverse("mediation:roster"), reverse("mediation:mediator", args=[mediator.pk])):
        page = client.get(url).content.decode()
        assert "房屋宅基地纠纷、邻里纠纷" in page
        assert "housing_homestead" not in page


def test_the_subsidy_export_is_the_one_workbook_with_a_chinese_name_and_is_audited(
    director, client, tree
):
    """Issue #16: the 以案定补 sheet had an English file name (``subsidy-….xlsx``), another
    writer, no number formats, frozen header or filter."""
    import io

    from openpyxl import load_workbook

    from fengqiao.audit.models import AuditAction, AuditEntry
    from fengqiao.orgs.models import Mediator

    Mediator.objects.create(name="王调解", kind="full_time", org=tree.township_centre)
    client.force_login(director)

    response = client.get(reverse("mediation:subsidy") + "?format=xlsx")

    assert "subsidy-" not in response["Content-Disposition"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:H3"
    assert (ws["D3"].data_type, ws["D3"].number_format) == ("n", "0")
    assert ws["A3"].font.name == "宋体"
    entry = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED, actor=director)
    assert entry.extra["rows"] == 1
