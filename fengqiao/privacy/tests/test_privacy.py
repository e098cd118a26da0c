"""The privacy notice as versioned data and the consents given against it (个人信息保护法
arts.14–17, 29): publishing never edits a version, a consent counts only against the notice in
force and until withdrawn, refused checks write nothing, and withdrawal is stamped and audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.core import crypto
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.demo.privacy import JINGHE_NOTICE, ensure_demo_notice
from fengqiao.privacy import selectors, services
from fengqiao.privacy.models import Consent, ConsentPurpose, PrivacyNotice
from fengqiao.privacy.services import ConsentInput

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
MEDIATION = ConsentPurpose.MEDIATION


def _ticked(notice: PrivacyNotice, *purposes: str) -> ConsentInput:
    return ConsentInput(version=notice.version, purposes=frozenset(purposes or [MEDIATION]))


def _give(notice: PrivacyNotice, phone: str = PHONE, *purposes: str) -> list[Consent]:
    return services.consents_record(
        phone=phone,
        needed=purposes or [MEDIATION],
        given=_ticked(notice, *purposes),
        source="test",
    )


def test_publishing_makes_the_next_version_and_the_newest_in_effect_is_current(privacy_notice):
    assert privacy_notice.version == 1
    assert selectors.notice_current() == privacy_notice
    later = services.notice_publish(
        actor=None,
        **{**JINGHE_NOTICE, "retention": "改后的保存期限"},
        effective_from=timezone.now() + timedelta(days=7),
    )
    assert later.version == 2
    assert selectors.notice_current() == privacy_notice  # not in effect yet
    assert selectors.notice_current(timezone.now() + timedelta(days=8)) == later
    privacy_notice.refresh_from_db()
    assert privacy_notice.retention == JINGHE_NOTICE["retention"]  # v1 untouched
    assert AuditEntry.objects.filter(
        action=AuditAction.SETTINGS_CHANGED, extra__privacy_notice=2
    ).exists()


def test_a_notice_without_every_part_art17_asks_for_is_refused(db):
    with pytest.raises(InvalidInput) as error:
        services.notice_publish(actor=None, **{**JINGHE_NOTICE, "controller_contact": " "})
    assert set(error.value.errors) == {"controller_contact"}
    assert PrivacyNotice.objects.count() == 0


def test_without_a_published_notice_nothing_can_be_consented(db):
    errors = services.consent_errors(
        phone_idx="", needed=[MEDIATION], given=ConsentInput(1, frozenset([MEDIATION]))
    )
    assert "尚未发布" in errors["consent_mediation"][0]


def test_an_unticked_box_is_a_field_error_in_chinese(privacy_notice):
    errors = services.consent_errors(
        phone_idx=selectors.phone_index(PHONE),
        needed=[MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE],
        given=_ticked(privacy_notice),
    )
    assert list(errors) == ["consent_mediation_sensitive"]
    assert "敏感个人信息" in errors["consent_mediation_sensitive"][0]
    with pytest.raises(InvalidInput):
        services.consents_record(
            phone=PHONE, needed=[MEDIATION], given=ConsentInput(), source="test"
        )
    assert Consent.objects.count() == 0


def test_a_consent_is_stored_with_its_version_time_purpose_and_the_phone_encrypted(
    privacy_notice,
):
    (consent,) = _give(privacy_notice)
    assert consent.notice == privacy_notice
    assert consent.purpose == MEDIATION
    assert consent.given_at is not None
    assert consent.withdrawn_at is None
    assert PHONE not in consent.phone_encrypted
    assert crypto.decrypt(consent.phone_encrypted, context="privacy.phone") == PHONE
    assert consent.phone_masked == "139****5678"
    # the portal's blind index: a consent and an application of one phone match
    assert consent.phone_index == crypto.blind_index(PHONE, context="phone")
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CREATED, target_id=str(consent.pk))
    assert entry.extra == {"consent": "mediation", "notice_version": 1, "source": "test"}
    # given once, kept: a second form needs no new tick and writes no second row
    assert (
        services.consent_errors(
            phone_idx=consent.phone_index, needed=[MEDIATION], given=ConsentInput()
        )
        == {}
    )
    assert _give(privacy_notice) == [consent]
    assert Consent.objects.count() == 1


def test_a_box_ticked_against_an_older_version_is_refused(privacy_notice):
    services.notice_publish(actor=None, **JINGHE_NOTICE)
    errors = services.consent_errors(
        phone_idx="", needed=[MEDIATION], given=_ticked(privacy_notice)
    )
    assert "已更新" in errors["consent_mediation"][0]


def test_a_consent_to_an_outdated_notice_must_be_renewed(privacy_notice):
    (old,) = _give(privacy_notice)
    renewed_notice = services.notice_publish(actor=None, **JINGHE_NOTICE)
    errors = services.consent_errors(
        phone_idx=old.phone_index, needed=[MEDIATION], given=ConsentInput()
    )
    assert "您同意之后告知书已更新" in errors["consent_mediation"][0]
    (renewed,) = _give(renewed_notice)
    assert renewed.pk != old.pk
    assert renewed.notice == renewed_notice
    states = {row.consent.pk: row.state for row in selectors.consents_of(phone_idx=old.phone_index)}
    assert states == {old.pk: "outdated", renewed.pk: "current"}


def test_withdrawal_is_stamped_audited_and_stops_the_consent_counting(privacy_notice):
    (consent,) = _give(privacy_notice)
    withdrawn = services.consent_withdraw(phone_idx=consent.phone_index, consent_id=consent.pk)
    assert withdrawn.withdrawn_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CHANGED, target_id=str(consent.pk))
    assert entry.extra["withdrawn"] is True
    errors = services.consent_errors(
        phone_idx=consent.phone_index, needed=[MEDIATION], given=ConsentInput()
    )
    assert "撤回" in errors["consent_mediation"][0]
    assert selectors.withdrawn(phone_idx=consent.phone_index, purpose=MEDIATION) == consent
    # twice changes nothing
    again = services.consent_withdraw(phone_idx=consent.phone_index, consent_id=consent.pk)
    assert again.withdrawn_at == withdrawn.withdrawn_at
    assert AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).count() == 1
    # agreeing again is a new consent; the withdrawn one stays on record
    (fresh,) = _give(privacy_notice)
    assert fresh.pk != consent.pk
    assert selectors.withdrawn(phone_idx=consent.phone_index, purpose=MEDIATION) is None
    assert Consent.objects.count() == 2


def test_nobody_withdraws_another_phones_consent(privacy_notice):
    (consent,) = _give(privacy_notice)
    with pytest.raises(NotFound):
        services.consent_withdraw(
            phone_idx=selectors.phone_index("13700000000"), consent_id=consent.pk
        )
    with pytest.raises(NotFound):
        services.consent_withdraw(phone_idx="", consent_id=consent.pk)
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()


def test_a_box_the_form_offered_and_the_citizen_ticked_is_recorded_too(privacy_notice):
    rows = services.consents_record(
        phone=PHONE,
        needed=[MEDIATION],
        given=_ticked(privacy_notice, MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE),
        source="test",
        offered=[MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE],
    )
    assert [r.purpose for r in rows] == [MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE]


def test_the_demo_publishes_jinghe_s_notice_once(db):
    notice = ensure_demo_notice(None)
    assert notice is not None
    assert notice.version == 1
    assert "静河镇" in notice.controller_name
    assert "0730" in notice.controller_contact
    assert "人民法院" in notice.recipients
    assert ensure_demo_notice(None) is None
    assert PrivacyNotice.objects.count() == 1


@pytest.fixture
def sysadmin(make_actor, tree):
    user = make_actor(Role.SYSTEM_ADMIN, tree.county_centre, username="sysadmin")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


def test_the_system_administrator_edits_the_notice_in_the_admin_as_a_new_version(
    client, sysadmin, privacy_notice
):
    client.force_login(sysadmin)
    url = reverse("admin:privacy_privacynotice_change", args=[privacy_notice.pk])
    assert client.get(url).status_code == 200
    data = {
        **JINGHE_NOTICE,
        "retention": "新的保存期限",
        "effective_from_0": "2026-12-01",
        "effective_from_1": "08:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    privacy_notice.refresh_from_db()
    assert privacy_notice.retention == JINGHE_NOTICE["retention"]  # the agreed text stays
    latest = PrivacyNotice.objects.get(version=2)
    assert latest.retention == "新的保存期限"
    assert latest.created_by == sysadmin
    assert (
        client.post(
            reverse("admin:privacy_privacynotice_delete", args=[privacy_notice.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:privacy_consent_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_consent_add")).status_code == 403
