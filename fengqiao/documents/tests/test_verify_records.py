"""verify_records on the loaded demo (issue #14): every agreement in force sealed by its committee,
no file number twice, courts' lists hold mediation organisations only; a broken record is named
in Chinese and fails the command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Agreement, FileNumber, Signature
from fengqiao.orgs.models import Organisation
from fengqiao.routing.models import InvitedOrganisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--cases", "100", stdout=StringIO())


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


def test_a_seal_of_a_justice_office_is_named_and_fails(demo):
    seal = Signature.objects.filter(role=SignatureRole.SEAL).select_related("agreement__case")[0]
    office = Organisation.objects.get(code="430624122SF")
    Signature.objects.filter(pk=seal.pk).update(org=office, signer_name=office.name)
    err = failing()
    assert f"印章：{seal.agreement.case.number}：调解协议由静河司法所盖章" in err


def test_a_number_printed_twice_or_off_form_is_named_and_fails(demo):
    first, second = FileNumber.objects.order_by("pk")[:2]
    FileNumber.objects.filter(pk=second.pk).update(text=first.text + "x")
    err = failing("--case", second.case.number)
    assert "不符合文书格式" in err


def test_a_justice_office_on_a_courts_invited_list_fails(demo):
    court = Organisation.objects.get(code="430624FY")
    InvitedOrganisation.objects.create(
        court=court, org=Organisation.objects.get(code="430624122SF")
    )
    assert "特邀名册：湘阴县人民法院：静河司法所不是调解组织" in failing()
