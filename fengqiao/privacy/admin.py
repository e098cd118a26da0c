"""The system administrator keeps the privacy notice here: saving publishes the next version
(one agreed to is never edited); consents are the citizens' own, shown read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fengqiao.accounts.models import User
from fengqiao.privacy.models import Consent, PrivacyNotice
from fengqiao.privacy.services import notice_publish

NOTICE_PARTS = (
    "title",
    "text",
    "controller_name",
    "controller_contact",
    "purposes",
    "categories",
    "sensitive",
    "retention",
    "recipients",
    "rights",
)


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin[PrivacyNotice]):
    """Saving, even a change, publishes a new version with the text as edited."""

    list_display = ("title", "version", "controller_name", "effective_from", "created_at")
    fields = (*NOTICE_PARTS, "effective_from")
    readonly_fields = ("version",)

    def save_model(self, request: HttpRequest, obj: PrivacyNotice, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)  # noqa: S101  the admin requires a signed-in user
        notice = notice_publish(
            actor=request.user,
            effective_from=obj.effective_from,
            **{name: getattr(obj, name) for name in NOTICE_PARTS},
        )
        obj.pk, obj.version = notice.pk, notice.version

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # consents point at it; a version is replaced, never removed


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ("phone_masked", "purpose", "notice", "source", "given_at", "withdrawn_at")
    list_filter = ("purpose", "withdrawn_at")
    list_select_related = ("notice",)
    readonly_fields = ("phone_masked", "purpose", "notice", "source", "given_at", "withdrawn_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
