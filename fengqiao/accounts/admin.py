from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from fengqiao.accounts.models import ApiToken, Membership, User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region", "org"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("枫桥", {"fields": ("full_name",)}))
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]


def _audit_membership(request: HttpRequest, membership: Membership, action: AuditAction) -> None:
    record(
        actor=request.user,  # type: ignore[arg-type]
        action=action,
        target=membership,
        org=membership.org,
        extra={
            "user": membership.user.username,
            "role": membership.role,
            "region": membership.region.code,
            "active": membership.is_active,
            "via": "admin",
        },
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Role changes made here are audited like any other privilege change."""

    list_display = ["user", "role", "region", "org", "is_active", "valid_from", "valid_until"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "org__name", "region__name"]
    autocomplete_fields = ["user", "region", "org"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        action = AuditAction.RECORD_CHANGED if change else AuditAction.RECORD_CREATED
        _audit_membership(request, obj, action)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        _audit_membership(request, obj, AuditAction.RECORD_CHANGED)
        super().delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py create_api_token`; the admin can only list and revoke
    them."""

    list_display = ["hint", "user", "name", "is_active", "expires_at", "last_used_at"]
    list_filter = ["is_active"]
    readonly_fields = ["user", "name", "hint", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
