from django.contrib import admin
from django.http import HttpRequest

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditEntry
from fengqiao.audit_review.selectors import audit_scope


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: audit rows are written by services, never by hand, and deleted by nobody
    (kept at least six months, 网络安全法第二十一条). Only an audit administrator reads them:
    the system administrator's superuser flag opens nothing here (三员分立, issue #17)."""

    list_display = ["occurred_at", "actor_name", "action", "target_repr", "org", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_repr", "target_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        user = request.user
        return isinstance(user, User) and bool(access.scope_prefixes(user, Capability.AUDIT_VIEW))

    def get_queryset(self, request: HttpRequest):
        """Only the entries within the auditor's jurisdiction, as on the audit search page."""
        queryset = super().get_queryset(request)
        user = request.user
        if not (isinstance(user, User) and self.has_view_permission(request)):
            return queryset.none()
        return queryset.filter(audit_scope(user))
