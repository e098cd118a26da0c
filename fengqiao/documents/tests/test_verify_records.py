"""verify_records on the loaded demo (issue #14): every agreement in force sealed by its committee,
no file number twice, courts' lists hold mediation organisations only; a broken record is named
in Chinese and fails the command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fengqiao.cases.choices import AgreementForm, CaseOutcome
from fengqiao.cases.models import Case, Party
from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Agreement, FileNumber, Session, Signature
from fengqiao.orgs.models import Organisation
from fengqiao.routing.models import InvitedOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--cases", "80", stdout=StringIO())


def verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_records", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="不符合要求"):
        call_command("verify_records", *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_the_demo_is_clean_and_its_agreements_are_sealed_and_numbered_by_committees(demo):
    out, err = verify()
    assert "核查通过" in out, err
    in_force = Agreement.objects.filter(effective_on__isnull=False)
    assert in_force.exists()
    seals = Signature.objects.filter(role=SignatureRole.SEAL, agreement__in=in_force)
    assert not seals.filter(org__kind__in=["justice_office", "centre"]).exists()
    texts = list(FileNumber.objects.values_list("text", flat=True))
    assert len(texts) == len(set(texts)) >= in_force.count()


def test_each_broken_record_is_named_in_chinese_and_fails_the_command(demo):
    # a seal of the 司法所 (the finding: 24 of 170), a number off the MoJ form, a 司法所 on a
    # court's invited list, and a resolved file with no 调解记录
    seal = Signature.objects.filter(role=SignatureRole.SEAL).select_related("agreement__case")[0]
    office = Organisation.objects.get(code="430624122SF")
    Signature.objects.filter(pk=seal.pk).update(org=office, signer_name=office.name)
    first, second = FileNumber.objects.order_by("pk")[:2]
    FileNumber.objects.filter(pk=second.pk).update(text=first.text + "x")
    court = Organisation.objects.get(code="430624FY")
    InvitedOrganisation.objects.create(court=court, org=office)
    resolved = Case.objects.filter(outcome=CaseOutcome.RESOLVED).exclude(pk=seal.agreement.case_id)
    bare = resolved.order_by("pk")[0]
    Session.objects.filter(case=bare).update(case=seal.agreement.case)
    # and a party of an agreement in force whose particulars were lost (art.29)
    written = Agreement.objects.filter(effective_on__isnull=False, form=AgreementForm.WRITTEN)
    party = Party.objects.filter(case__in=written.values("case_id")).order_by("pk")[0]
    Party.objects.filter(pk=party.pk).update(particulars_encrypted="", particulars_masked={})

    err = failing()

    assert f"印章：{seal.agreement.case.number}：调解协议由静河司法所盖章" in err
    assert f"编号：{second.case.number}：编号{first.text}x不符合文书格式" in err
    assert "特邀名册：湘阴县人民法院：静河司法所不是调解组织" in err
    assert f"卷宗：{bare.number}：缺少人民调解记录" in err
    assert f"当事人：{party.case.number}：当事人{party.name}缺少：" in err
