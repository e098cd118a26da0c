"""Issue #16 item 8, PIPL on the portal: the notice in force is on the page before any personal
information is sent; the application, its code, evidence and the rating refuse without a current
consent with a Chinese field error and store nothing; a citizen verified by SMS sees and
withdraws his consents, after which the portal accepts nothing more until he agrees again,
while the case itself is kept."""

import io

import pytest
from django.urls import reverse

from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.models import Attachment, Case, Party
from fengqiao.demo.privacy import JINGHE_NOTICE
from fengqiao.intake.models import IntakeSubmission
from fengqiao.portal import services
from fengqiao.portal.models import PortalApplication, PortalOutcomeRating, VerificationCode
from fengqiao.portal.tests.conftest import CONSENTED
from fengqiao.portal.tests.test_portal import PHONE, PNG, _form, _token
from fengqiao.privacy.models import Consent, PrivacyNotice
from fengqiao.privacy.services import notice_publish

pytestmark = pytest.mark.django_db
NO_CONSENT = {"notice_version": "1", "consent": []}


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    def ask(purpose: str = "apply", phone: str = PHONE, **extra):
        VerificationCode.objects.update(created_at="2000-01-01T00:00:00Z")  # no resend wait
        data = {"phone": phone, "purpose": purpose, **(CONSENTED if purpose == "apply" else {})}
        data.update(extra)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("portal:code"), data)

    return ask


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(url, data, files=()):
        payload = dict(data)
        if files:
            payload["files"] = list(files)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, payload)

    return send


def _photo(name="收据.png"):
    photo = io.BytesIO(PNG)
    photo.name = name
    return photo


def _nothing_stored():
    assert Case.objects.count() == 0
    assert Party.objects.count() == 0
    assert PortalApplication.objects.count() == 0
    assert IntakeSubmission.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Consent.objects.count() == 0


def _apply(client, tree, outbox, ask_code, post) -> PortalApplication:
    token = _token(client)
    ask_code()
    response = post(reverse("portal:apply"), _form(tree, token, outbox.last_code()))
    assert response.status_code == 200, response.context["errors"]
    return PortalApplication.objects.get(tracking_code=token)


def test_the_notice_in_force_is_shown_before_any_personal_field(client, online_endpoint):
    page = client.get(reverse("portal:apply")).content.decode()
    notice = page.index('id="privacy-notice"')
    assert JINGHE_NOTICE["title"] in page
    assert "第 1 版" in page
    assert JINGHE_NOTICE["controller_name"] in page
    assert "保存期限" in page
    assert "湘阴县人民法院" in page  # a recipient when a case goes to the court
    assert 'name="notice_version" id="notice_version" value="1"' in page
    for field in ('id="name"', 'id="phone"', 'id="id_number"', 'id="send-code"', 'id="files"'):
        assert notice < page.index(field), field
    assert page.index('id="consent_mediation"') < page.index('id="name"')
    assert "#consent_mediation" in page  # the code button sends the tick along with the phone
    full = client.get(reverse("portal:privacy")).content.decode()
    assert JINGHE_NOTICE["rights"][:20] in full


def test_no_code_is_sent_before_the_notice_is_agreed_to(client, outbox, ask_code):
    refused = ask_code(consent=[])
    assert refused.status_code == 422
    assert "请阅读《个人信息保护告知书》并勾选同意" in refused.content.decode()
    assert VerificationCode.objects.count() == 0
    assert outbox == []
    assert ask_code().status_code == 200
    assert len(outbox) == 1
    # a code to follow a case or to see one's consents needs no new consent
    assert ask_code(purpose="consents", phone="13700000000").status_code == 200


def test_an_application_without_consent_is_refused_and_leaves_no_rows(
    client, tree, online_endpoint, outbox, ask_code, post
):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    response = post(reverse("portal:apply"), _form(tree, token, code, **NO_CONSENT))
    assert response.status_code == 422
    errors = response.context["errors"]
    assert list(errors) == ["consent_mediation"]
    text = response.content.decode()
    assert "请阅读《个人信息保护告知书》并勾选同意后再提交。" in text
    assert text.index("请阅读《个人信息保护告知书》并勾选同意后再提交。") < text.index('id="name"')
    assert response.context["values"]["what_happened"].startswith("邻居王五")  # nothing retyped
    _nothing_stored()
    # the code was not spent: ticking the box is all it takes
    ok = post(reverse("portal:apply"), _form(tree, token, code))
    assert ok.status_code == 200
    assert Case.objects.count() == 1


def test_an_id_number_or_evidence_needs_the_separate_sensitive_consent(
    client, tree, online_endpoint, outbox, ask_code, post
):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    only_notice = {"notice_version": "1", "consent": ["mediation"]}
    with_id = _form(tree, token, code, id_number="430624199001011233", **only_notice)
    response = post(reverse("portal:apply"), with_id)
    assert response.status_code == 422
    assert list(response.context["errors"]) == ["consent_mediation_sensitive"]
    assert "敏感个人信息" in response.context["errors"]["consent_mediation_sensitive"][0]
    with_file = post(reverse("portal:apply"), _form(tree, token, code, **only_notice), [_photo()])
    assert list(with_file.context["errors"]) == ["consent_mediation_sensitive"]
    _nothing_stored()
    # without either, the notice alone is enough
    plain = post(reverse("portal:apply"), _form(tree, token, code, **only_notice))
    assert plain.status_code == 200
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["mediation"]


def test_a_notice_replaced_while_the_form_was_open_must_be_read_again(
    client, tree, online_endpoint, outbox, ask_code, post
):
    token = _token(client)
    ask_code()
    notice_publish(actor=None, **{**JINGHE_NOTICE, "retention": "新版保存期限"})
    response = post(reverse("portal:apply"), _form(tree, token, outbox.last_code()))
    assert response.status_code == 422
    assert "告知书已更新" in response.context["errors"]["consent_mediation"][0]
    page = response.content.decode()
    assert "新版保存期限" in page  # the new version is shown for the new tick
    assert 'name="notice_version" id="notice_version" value="2"' in page
    _nothing_stored()


def test_the_consent_is_recorded_with_the_application(
    client, tree, online_endpoint, outbox, ask_code, post
):
    application = _apply(client, tree, outbox, ask_code, post)
    consents = list(Consent.objects.order_by("purpose"))
    assert [(c.purpose, c.notice.version, c.source) for c in consents] == [
        ("mediation", 1, "portal.apply"),
        ("mediation_sensitive", 1, "portal.apply"),  # ticked, though not needed this time
    ]
    for consent in consents:
        assert consent.phone_index == application.phone_index
        assert PHONE not in consent.phone_encrypted
        assert consent.phone_masked == "139****5678"
        assert consent.given_at <= application.created_at
    assert AuditEntry.objects.filter(
        action=AuditAction.RECORD_CREATED, extra__consent="mediation"
    ).exists()


def test_a_registration_that_fails_after_the_consent_keeps_no_consent(
    client, tree, online_endpoint, outbox, ask_code, post, monkeypatch
):
    from fengqiao.core.exceptions import InvalidInput

    def refuse(**_kwargs):
        raise InvalidInput("登记失败", errors={"title": ["登记失败"]})

    monkeypatch.setattr(services, "register_dispute", refuse)
    token = _token(client)
    ask_code()
    response = post(reverse("portal:apply"), _form(tree, token, outbox.last_code()))
    assert response.status_code == 422
    _nothing_stored()


def test_without_a_published_notice_the_portal_takes_no_personal_information(
    client, tree, online_endpoint, outbox, ask_code, post
):
    PrivacyNotice.objects.all().delete()
    page = client.get(reverse("portal:apply")).content.decode()
    assert "尚未发布个人信息保护告知书" in page
    assert ask_code().status_code == 422
    response = post(reverse("portal:apply"), _form(tree, _token(client), "123456"))
    assert response.status_code == 422
    assert "尚未发布" in response.context["errors"]["consent_mediation"][0]
    _nothing_stored()


def _sign_in_to_consents(client, outbox, ask_code, phone=PHONE):
    assert ask_code(purpose="consents", phone=phone).status_code == 200
    response = client.post(reverse("portal:consents"), {"phone": phone, "code": outbox.last_code()})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:consents_mine")
    return client.get(response["Location"])


def test_the_consents_page_needs_an_sms_code(client, outbox, ask_code):
    assert client.get(reverse("portal:consents_mine")).status_code == 302
    ask_code(purpose="consents")
    wrong = client.post(reverse("portal:consents"), {"phone": PHONE, "code": "000000"})
    if outbox.last_code() == "000000":  # pragma: no cover  one in a million
        return
    assert wrong.status_code == 422
    assert "code" in wrong.context["errors"]
    assert client.get(reverse("portal:consents_mine")).status_code == 302
    # a code to follow a case does not open the consents page
    ask_code(purpose="track")
    other = client.post(reverse("portal:consents"), {"phone": PHONE, "code": outbox.last_code()})
    assert other.status_code == 422


def test_a_citizen_sees_and_withdraws_a_consent_and_the_portal_then_refuses_him(
    client, tree, online_endpoint, outbox, ask_code, post
):
    application = _apply(client, tree, outbox, ask_code, post)
    page = _sign_in_to_consents(client, outbox, ask_code)
    text = page.content.decode()
    assert page.status_code == 200
    assert "办理我的网上调解申请" in text
    assert "第 1 版" in text
    assert "撤回同意" in text
    assert "不影响撤回前基于您的同意已进行的个人信息处理活动" in text  # art.15
    assert "不会因撤回同意而删除" in text
    mediation = Consent.objects.get(purpose="mediation")

    withdrawn = client.post(reverse("portal:consent_withdraw", args=[mediation.pk]))
    assert withdrawn.status_code == 200
    assert "您已于" in withdrawn.content.decode()
    mediation.refresh_from_db()
    assert mediation.withdrawn_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CHANGED, target_id=str(mediation.pk))
    assert entry.extra["withdrawn"] is True
    # the case and its parties are kept: the law requires the records
    assert Case.objects.filter(pk=application.case_id).exists()
    assert Party.objects.filter(case_id=application.case_id).count() == 2

    # no further processing on that basis: evidence and the rating are refused, nothing stored
    progress = client.get(reverse("portal:progress", args=[application.tracking_code]))
    assert 'id="evidence-consent_mediation"' in progress.content.decode()
    refused = post(reverse("portal:evidence", args=[application.tracking_code]), {}, [_photo()])
    assert refused.status_code == 422
    assert "您已撤回此项同意" in refused.context["errors"]["consent_mediation"][0]
    assert Attachment.objects.count() == 0
    Case.objects.filter(pk=application.case_id).update(outcome="resolved", status="resolved")
    not_rated = post(
        reverse("portal:rate", args=[application.tracking_code]), {"rating": "satisfied"}
    )
    assert not_rated.status_code == 422
    assert "consent_mediation" in not_rated.context["errors"]
    assert PortalOutcomeRating.objects.count() == 0
    # a new application from that phone needs the box ticked again
    token = _token(client)
    ask_code()
    again = post(reverse("portal:apply"), _form(tree, token, outbox.last_code(), **NO_CONSENT))
    assert again.status_code == 422
    assert "撤回" in again.context["errors"]["consent_mediation"][0]
    assert Case.objects.count() == 1

    # agreeing again on the form lets the rating through, as a new consent
    rated = post(
        reverse("portal:rate", args=[application.tracking_code]),
        {"rating": "satisfied", "notice_version": "1", "consent": "mediation"},
    )
    assert rated.status_code == 200
    assert PortalOutcomeRating.objects.count() == 1
    assert Consent.objects.filter(purpose="mediation", withdrawn_at__isnull=True).count() == 1


def test_an_outdated_consent_is_renewed_on_the_form(
    client, tree, online_endpoint, outbox, ask_code, post
):
    application = _apply(client, tree, outbox, ask_code, post)
    notice_publish(actor=None, **{**JINGHE_NOTICE, "retention": "新版保存期限"})
    url = reverse("portal:evidence", args=[application.tracking_code])
    progress = client.get(reverse("portal:progress", args=[application.tracking_code]))
    assert "新版保存期限" in progress.content.decode()
    refused = post(url, {}, [_photo()])
    assert refused.status_code == 422
    assert "您同意之后告知书已更新" in refused.context["errors"]["consent_mediation"][0]
    assert Attachment.objects.count() == 0
    renewed = post(url, {"notice_version": "2", "consent": CONSENTED["consent"]}, [_photo()])
    assert renewed.status_code == 200
    assert Attachment.objects.count() == 1
    assert sorted(Consent.objects.filter(notice__version=2).values_list("purpose", "source")) == [
        ("mediation", "portal.evidence"),
        ("mediation_sensitive", "portal.evidence"),
    ]


def test_nobody_withdraws_another_phones_consent(
    client, tree, online_endpoint, outbox, ask_code, post
):
    _apply(client, tree, outbox, ask_code, post)
    mine = Consent.objects.get(purpose="mediation")
    stranger = type(client)()
    assert stranger.post(reverse("portal:consent_withdraw", args=[mine.pk])).status_code == 302
    page = _sign_in_to_consents(stranger, outbox, ask_code, phone="13700000000")
    assert "此手机号码没有同意记录" in page.content.decode()
    refused = stranger.post(reverse("portal:consent_withdraw", args=[mine.pk]))
    assert refused.status_code == 404
    mine.refresh_from_db()
    assert mine.withdrawn_at is None


def test_the_handling_unit_sees_that_the_applicant_withdrew(
    client, tree, online_endpoint, outbox, ask_code, post, township_clerk
):
    application = _apply(client, tree, outbox, ask_code, post)
    Consent.objects.filter(purpose="mediation").update(withdrawn_at="2026-12-06T08:00:00Z")
    staff = type(client)()
    staff.force_login(township_clerk)
    panel = staff.get(reverse("portal:evidence_panel", args=[application.case_id]))
    assert panel.status_code == 200
    assert 'id="consent-withdrawn"' in panel.content.decode()
    assert "撤回" in panel.content.decode()
