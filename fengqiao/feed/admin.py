"""Webhook subscribers of the event feed: added with ``manage.py feed_subscription add`` (the
signing secret is typed once and kept encrypted); here they are seen and switched on or off,
audited like every settings change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.feed.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "url", "is_active", "last_message")
    fields = ("name", "account", "url", "batch_size", "is_active", "cursor", "last_message")
    readonly_fields = ("name", "account", "url", "batch_size", "cursor", "last_message")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.SETTINGS_CHANGED,
            target=obj,
            extra={"feed_subscription": obj.name, "changed": sorted(form.changed_data)},
        )
