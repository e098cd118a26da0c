"""Administrators keep each organisation's group robots here. The webhook URL (its key is the
credential) and the 钉钉 signing secret are write-only: the form never shows them back, the list
shows a masked hint; leaving a field blank keeps the stored value."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.notifications.choices import NotificationKind
from fengqiao.notifications.models import OrgWebhook, OutboundMessage


class OrgWebhookForm(forms.ModelForm):
    webhook_url = forms.URLField(
        assume_scheme="https",
        label=_("Webhook URL"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave blank to keep the stored URL."),
    )
    signing_secret = forms.CharField(
        label=_("Signing secret (DingTalk)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave blank to keep the stored secret."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds (none: every kind)"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OrgWebhook
        fields = ("org", "channel", "name", "kinds", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.url_encrypted and not data.get("webhook_url"):
            self.add_error("webhook_url", _("Enter the webhook URL."))
        return data

    def save(self, commit: bool = True) -> OrgWebhook:
        hook: OrgWebhook = super().save(commit=False)
        if url := self.cleaned_data.get("webhook_url"):
            hook.set_url(url)
        if self.cleaned_data.get("clear_secret"):
            hook.set_secret("")
        elif secret := self.cleaned_data.get("signing_secret"):
            hook.set_secret(secret)
        if commit:
            hook.save()
        return hook


@admin.register(OrgWebhook)
class OrgWebhookAdmin(admin.ModelAdmin):
    form = OrgWebhookForm
    list_display = ("org", "channel", "name", "url_hint", "is_active")
    list_filter = ("channel", "is_active")
    search_fields = ("org__name", "name")
    readonly_fields = ("url_hint",)

    def save_model(self, request: HttpRequest, obj: OrgWebhook, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditAction.SETTINGS_CHANGED,
            target=obj,
            org=obj.org,
            extra={"webhook": obj.url_hint, "changed": sorted(form.changed_data)},
        )


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox, read-only: what went out, what is waiting, what was given up."""

    list_display = (
        "__str__",
        "notification",
        "case",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("channel", "status")
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
