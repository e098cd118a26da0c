"""PIPL duties: parties of cases closed longer ago than the retention period are anonymised (the
case and its ledger stay); an access request returns everything held about one person, within
the handler's reach, and is audited."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.ledger import verify
from fengqiao.cases.models import Case, Party
from fengqiao.cases.privacy import ANONYMOUS, parties_anonymise_expired, person_report

pytestmark = pytest.mark.django_db


def close_long_ago(case: Case, years: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        outcome="resolved",
        status_changed_at=timezone.now() - timedelta(days=366 * years),
    )


def test_expired_parties_are_anonymised_and_the_rest_kept(register_case, township_clerk, settings):
    settings.FENGQIAO_PARTY_RETENTION_YEARS = 10
    old, recent, open_case = register_case(), register_case(), register_case()
    close_long_ago(old, 11)
    close_long_ago(recent, 5)

    assert parties_anonymise_expired(actor=township_clerk, dry_run=True) == 2
    assert parties_anonymise_expired(actor=township_clerk) == 2
    assert parties_anonymise_expired(actor=township_clerk) == 0  # once

    for party in Party.objects.filter(case=old):
        assert party.name == ANONYMOUS
        assert (party.id_number_encrypted, party.phone_index, party.phone_masked) == ("", "", "")
        assert party.anonymised_at is not None
    assert Party.objects.filter(case=recent, name="张三").exists()
    assert Party.objects.filter(case=open_case, name="张三").exists()
    assert list(verify([old.pk])) == []  # the ledger is untouched
    assert AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).count() == 1


def test_an_access_request_returns_what_is_held_within_reach(
    register_case, township_clerk, make_actor, tree
):
    register_case(title="第一件")
    register_case(title="第二件")
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    register_case(
        actor=elsewhere, org=tree.other_township_centre, region=tree.other_township_village
    )

    mine = person_report(actor=township_clerk, id_number="430624199001011233")
    assert [r.case_title for r in mine] == ["第一件", "第二件"]
    assert {r.phone for r in mine} == {"13800138000"}
    by_phone = person_report(actor=township_clerk, phone="+86 138-0013-8000")
    assert len(by_phone) == 2
    assert len(person_report(actor=elsewhere, id_number="430624199001011233")) == 1
    entries = AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED)
    assert entries.count() == 3
    assert "430624199001011233" not in str(list(entries.values_list("extra", flat=True)))


def test_the_commands(register_case, township_clerk):
    register_case()
    out = StringIO()
    call_command("personal_data_report", "--user", "clerk", "--phone", "13800138000", stdout=out)
    assert '"phone": "13800138000"' in out.getvalue()
    dry = StringIO()
    call_command("anonymise_expired_parties", "--dry-run", stdout=dry)
    assert "将匿名化 0 人" in dry.getvalue()
