"""Issue #21: "修改协议草稿" opened empty and a save with one field wiped the draft; the case page
showed only the facts of an agreement in force."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.choices import AgreementForm
from fengqiao.mediation import services
from fengqiao.mediation.choices import SignatureRole
from fengqiao.mediation.models import Agreement

pytestmark = pytest.mark.django_db


def _posted_form(page: str) -> dict[str, str]:
    """Every field of the agreement form as the browser would send it back."""
    form = re.search(r'<form[^>]*data-step="agreement".*?</form>', page, re.S)
    assert form is not None
    html = form.group(0)
    data: dict[str, str] = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        data[name] = value.strip()
    for name, block in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', block)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_rewriting_the_draft_opens_with_its_text_and_a_save_keeps_it(
    mediating, director, written_agreement, client
):
    case = mediating()
    written_agreement(case)
    client.force_login(director)
    page = client.get(reverse("mediation:panel", args=[case.pk])).content.decode()
    data = _posted_form(page)
    assert data["facts"] == "双方因宅基地边界发生争执"
    assert data["t1_content"] == "李四向张三支付补偿款5000元"
    assert data["t1_due_on"] == str(timezone.localdate() + timezone.timedelta(days=40))

    data["issues"] = "边界围墙的位置与高度"  # the one change the mediator makes
    response = client.post(reverse("mediation:act", args=[case.pk, "agreement"]), data)
    assert response.status_code == 200
    draft = Agreement.objects.get(case=case)
    assert draft.issues == "边界围墙的位置与高度"
    assert draft.facts == "双方因宅基地边界发生争执"
    assert draft.responsibilities == "李四越界砌墙，负主要责任"
    assert [t.content for t in draft.terms.all()] == ["李四向张三支付补偿款5000元"]


def test_saving_the_same_text_again_keeps_the_signatures(mediating, director, written_agreement):
    case = mediating()
    agreement = written_agreement(case)
    party = case.parties.first()
    services.agreement_sign(
        actor=director,
        agreement_id=agreement.pk,
        role=SignatureRole.PARTY,
        party_id=party.pk,
        signed_on=timezone.localdate(),
    )
    written_agreement(case)  # the same text saved again
    assert agreement.signatures.count() == 1
    services.agreement_save(
        actor=director, case_id=case.pk, form=AgreementForm.WRITTEN, facts="另一份文本"
    )
    assert agreement.signatures.count() == 0  # they signed another text


def test_an_agreement_in_force_shows_its_terms_and_signatures(
    mediating, director, written_agreement, sign_all, client
):
    case = mediating()
    agreement = written_agreement(case)
    sign_all(agreement)
    services.agreement_make_effective(actor=director, agreement_id=agreement.pk, note="")
    client.force_login(director)
    page = client.get(reverse("mediation:panel", args=[case.pk])).content.decode()
    in_force = page[page.index("agreement-in-force") :]
    for text in (
        "边界围墙位置",
        "李四越界砌墙，负主要责任",
        "李四向张三支付补偿款5000元",
        "王调解",
    ):
        assert text in in_force
