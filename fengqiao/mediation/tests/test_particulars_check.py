"""The particulars check of verify_records: an agreement in force whose party lacks particulars
is named with the case, the party and the field."""

import pytest

from fengqiao.cases.models import Case
from fengqiao.mediation import services
from fengqiao.mediation.particulars_check import check_particulars

pytestmark = pytest.mark.django_db


def test_agreements_in_force_with_full_particulars_pass(
    mediating, director, written_agreement, sign_all
):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    assert list(check_particulars(Case.objects.all())) == []


def test_a_party_without_particulars_under_an_agreement_in_force_is_reported(
    mediating, director, written_agreement, sign_all
):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    # records made before the rule (or edited in the database) lack them
    case.parties.filter(name="李四").update(particulars_encrypted="", particulars_masked={})
    assert list(check_particulars(Case.objects.all())) == [
        (
            case.number,
            "当事人李四缺少：性别、民族、出生日期、职业或工作单位（人民调解法第二十九条）。",
        )
    ]


def test_drafts_are_not_checked(mediating, written_agreement):
    case = mediating()
    written_agreement(case)
    case.parties.update(particulars_encrypted="", particulars_masked={})
    assert list(check_particulars(Case.objects.all())) == []
