from django.contrib import admin
from django.http import HttpRequest

from fengqiao.intake.models import ChannelEndpoint, IntakeSubmission


@admin.register(ChannelEndpoint)
class ChannelEndpointAdmin(admin.ModelAdmin):
    """Endpoints are opened with ``manage.py create_channel_endpoint`` (it shows the token once);
    here they are reviewed, given a callback URL, or closed."""

    list_display = (
        "name",
        "channel",
        "org",
        "service_user",
        "token_hint",
        "is_active",
        "last_used_at",
    )
    list_filter = ("channel", "is_active")
    search_fields = ("name", "org__name", "token_hint")
    fields = (
        "name",
        "channel",
        "org",
        "service_user",
        "token_hint",
        "callback_url",
        "is_active",
        "last_used_at",
    )
    readonly_fields = ("channel", "org", "service_user", "token_hint", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(IntakeSubmission)
class IntakeSubmissionAdmin(admin.ModelAdmin):
    """Read-only: what arrived is evidence. The encrypted payload is not shown here."""

    list_display = ("received_at", "channel", "source_ref", "case", "outcome")
    list_filter = ("channel", "outcome")
    search_fields = ("source_ref", "case__number")
    fields = (
        "received_at",
        "channel",
        "source_ref",
        "endpoint",
        "case",
        "outcome",
        "payload_sha256",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
