"""Issue #17: audit entries are kept at least six months; nothing deletes a younger one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.accounts.services import system_actor
from fengqiao.audit.models import AuditAction, AuditEntry, RetentionError, retention_days
from fengqiao.audit.services import record

pytestmark = pytest.mark.django_db


def _entry():
    actor = system_actor()
    return record(actor=actor, action=AuditAction.SETTINGS_CHANGED, target=actor)


def test_a_young_entry_cannot_be_deleted_one_by_one_or_in_bulk(tree):
    entry = _entry()
    with pytest.raises(RetentionError):
        entry.delete()
    with pytest.raises(RetentionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_past_six_months_can_be_deleted(tree):
    entry = _entry()
    AuditEntry.objects.filter(pk=entry.pk).update(occurred_at=timezone.now() - timedelta(days=190))
    AuditEntry.objects.filter(pk=entry.pk).delete()
    assert not AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_setting_cannot_shorten_the_legal_minimum(settings):
    settings.FENGQIAO_AUDIT_RETENTION_DAYS = 7
    assert retention_days() == 183
