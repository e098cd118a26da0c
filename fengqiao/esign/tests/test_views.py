"""The signing page over HTTP: the panel links to it, a refused identity check answers 422 with
the reason on the party's form, a good one redirects with the party shown as signed, and the
code button answers its status line."""

import pytest
from django.urls import reverse

from fengqiao.esign.models import ElectronicSignature
from fengqiao.esign.tests.conftest import LI_ID, ZHANG_ID, drawing

pytestmark = pytest.mark.django_db


def test_the_panel_links_to_the_signing_page(client, director, agreement):
    client.force_login(director)
    response = client.get(reverse("esign:panel", args=[agreement.case_id]))
    assert response.status_code == 200
    assert (
        reverse("esign:sign", args=[agreement.case_id, agreement.pk]) in response.content.decode()
    )


def test_the_signing_page_has_a_pad_for_each_party_and_the_mediator(client, director, agreement):
    client.force_login(director)
    response = client.get(reverse("esign:sign", args=[agreement.case_id, agreement.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-signature-pad") == 3
    assert "138****8000" in page
    assert "signature-pad.js" in page


def test_a_wrong_id_number_is_answered_on_the_form_and_nothing_is_stored(
    client, director, agreement, send_code
):
    zhang = agreement.case.parties.get(name="张三")
    code = send_code(agreement, zhang.pk)
    client.force_login(director)
    url = reverse("esign:party_sign", args=[agreement.case_id, agreement.pk, zhang.pk])
    response = client.post(url, {"id_number": LI_ID, "code": code, "signature": drawing()})
    assert response.status_code == 422
    assert "身份证件号码与该当事人登记的不一致" in response.content.decode()
    assert not ElectronicSignature.objects.exists()


def test_a_good_signature_redirects_to_the_page_showing_it(client, director, agreement, send_code):
    zhang = agreement.case.parties.get(name="张三")
    code = send_code(agreement, zhang.pk)
    client.force_login(director)
    url = reverse("esign:party_sign", args=[agreement.case_id, agreement.pk, zhang.pk])
    response = client.post(
        url, {"id_number": ZHANG_ID, "code": code, "signature": drawing()}, follow=True
    )
    assert response.status_code == 200
    assert "已签名：张三" in response.content.decode()
    assert ElectronicSignature.objects.get().party == zhang


def test_the_code_button_answers_its_status_line(client, director, agreement, sms_outbox):
    zhang = agreement.case.parties.get(name="张三")
    client.force_login(director)
    url = reverse("esign:code", args=[agreement.case_id, agreement.pk, zhang.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "验证码已发送" in first.content.decode()
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert again.status_code == 422
    assert "一分钟后再试" in again.content.decode()


def test_outside_the_jurisdiction_the_signing_page_is_not_found(client, outsider, agreement):
    client.force_login(outsider)
    response = client.get(reverse("esign:sign", args=[agreement.case_id, agreement.pk]))
    assert response.status_code == 404
