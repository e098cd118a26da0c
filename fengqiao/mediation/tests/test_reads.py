"""Each mediation record reads what it checks once (issue #21: the case was read twice per
record, and putting an agreement in force read its parties four times, its signatures and its
terms three times each)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.mediation import numbers, seals, services
from fengqiao.mediation.choices import SessionMode, SignatureRole
from fengqiao.orgs.models import Mediator

pytestmark = pytest.mark.django_db


def reads(captured: CaptureQueriesContext, table: str) -> int:
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]
    )


def test_a_rights_notice_reads_its_case_once_and_is_on_the_timeline(mediating, director):
    case = mediating(prepared=False)
    party = case.parties.order_by("pk").first()
    with CaptureQueriesContext(connection) as captured:
        services.rights_notify(
            actor=director,
            case_id=case.pk,
            party_id=party.pk,
            notified_on=timezone.localdate(),
            acknowledged=True,
        )
    assert reads(captured, "cases_case") == 1
    last = case.events.order_by("-seq").first()
    assert last.kind == EventKind.RIGHTS_NOTIFIED
    case.refresh_from_db()
    assert (case.event_count, case.ledger_head) == (last.seq, last.hash)


def test_a_repeated_rights_notice_updates_the_one_notice(mediating, director):
    case = mediating(prepared=False)
    party = case.parties.order_by("pk").first()
    for acknowledged in (False, True):
        notice = services.rights_notify(
            actor=director,
            case_id=case.pk,
            party_id=party.pk,
            notified_on=timezone.localdate(),
            acknowledged=acknowledged,
        )
    assert list(case.rights_notices.values_list("pk", "acknowledged")) == [(notice.pk, True)]


def test_a_signature_reads_its_case_once(mediating, director, written_agreement):
    case = mediating()
    agreement = written_agreement(case)
    with CaptureQueriesContext(connection) as captured:
        services.agreement_sign(
            actor=director,
            agreement_id=agreement.pk,
            role=SignatureRole.MEDIATOR,
            signer_name="王调解",
            signed_on=timezone.localdate(),
        )
    assert reads(captured, "cases_case") == 1
    assert case.events.order_by("-seq").first().kind == EventKind.AGREEMENT_SIGNED


def test_putting_an_agreement_in_force_reads_each_part_once(
    mediating, director, written_agreement, sign_all
):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    with CaptureQueriesContext(connection) as captured:
        services.agreement_make_effective(actor=director, agreement_id=agreement.pk, fire=False)
    counts = {
        table: reads(captured, table)
        for table in ("cases_case", "cases_party", "mediation_signature", "mediation_term")
    }
    assert counts == {
        "cases_case": 1,
        "cases_party": 1,
        "mediation_signature": 1,
        "mediation_term": 1,
    }
    agreement.refresh_from_db()
    assert agreement.effective_on == timezone.localdate()
    assert agreement.follow_ups.count() == 2  # after the agreement, and before the term's due day


def test_a_case_not_from_a_court_is_sealed_without_reading_who_registered_it(
    mediating, django_assert_num_queries
):
    case = Case.objects.select_related("handling_org").get(pk=mediating().pk)
    with django_assert_num_queries(0):
        assert seals.seal_refusal(case) is None


def test_a_session_adds_its_mediators_without_reading_them_first(
    mediating, director, township_committee
):
    case = mediating(prepared=False)
    mediator = Mediator.objects.create(name="王调解", org=township_committee, kind="full_time")
    with CaptureQueriesContext(connection) as captured:
        session = services.session_record(
            actor=director,
            case_id=case.pk,
            held_at=timezone.now(),
            mode=SessionMode.IN_PERSON,
            place="调解室",
            mediator_ids=[mediator.pk],
            record_text="双方陈述。",
        )
    assert reads(captured, "orgs_mediator") == 1  # the roster check, not the session's own list
    assert list(session.mediators.all()) == [mediator]


def test_a_body_s_next_file_number_reads_its_counter_once(mediating, township_committee):
    first, second = mediating(prepared=False), mediating(prepared=False)
    numbers.file_number_issue(case=first, on=timezone.localdate())
    with CaptureQueriesContext(connection) as captured:
        issued = numbers.file_number_issue(case=second, on=timezone.localdate())
    assert reads(captured, "mediation_numbercounter") == 1
    assert issued is not None
    assert issued.sequence == numbers.file_number_current(first).sequence + 1
