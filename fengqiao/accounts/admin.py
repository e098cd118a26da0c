"""The admin site under 三员分立 (MLPS level 3): the admin's own permission checks follow the
product's roles, not Django's superuser flag. The system administrator keeps accounts and
reference data; only a security administrator grants or withdraws roles (never his own) and
resets passwords; only an audit administrator reads the audit log (issue #17)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import ApiToken, Membership, User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record


def is_security_admin(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and bool(access.scope_prefixes(user, Capability.SECURITY_MANAGE))


def may_grant(request: HttpRequest, person: User | None) -> bool:
    """A security administrator may change roles, but not his own."""
    return is_security_admin(request) and (person is None or person.pk != request.user.pk)


def _audit_membership(request: HttpRequest, membership: Membership, action: str) -> None:
    record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditAction(action),
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
    access.forget_grants(membership.user)


class MembershipForm(forms.ModelForm):
    """Refuses a grant to oneself or outside the security administrator's jurisdiction."""

    request: HttpRequest

    class Meta:
        model = Membership
        fields = "__all__"  # noqa: DJ007  the admin shows every field of a membership

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = data.get("user") or getattr(self.instance, "user", None)
        if user is not None and user.pk == self.request.user.pk:
            raise ValidationError(gettext("You cannot change your own roles."))
        region = data.get("region")
        actor = self.request.user
        if (
            region is not None
            and isinstance(actor, User)
            and not access.can(actor, Capability.SECURITY_MANAGE, prefix=region.prefix)
        ):
            self.add_error("region", gettext("This place is outside your jurisdiction."))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["region", "org"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.request = request  # type: ignore[attr-defined]
        return formset

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or is_security_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request, obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("枫桥", {"fields": ("full_name",)}))
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or is_security_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or is_security_admin(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """The security administrator changes roles and passwords, not the account itself."""
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        return [
            "username",
            "first_name",
            "last_name",
            "email",
            "full_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change and not is_security_admin(request):
            # An account made by the system administrator has no password he knows: the
            # security administrator issues the first one (below), changed at first sign-in.
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Role changes through the user page's inline are audited like those on their own
        page (issue #17: the inline wrote nothing)."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        with transaction.atomic():
            for deleted in formset.deleted_forms:
                if deleted.instance.pk:
                    _audit_membership(request, deleted.instance, "record.changed")
            formset.save()
            for membership in formset.new_objects:
                _audit_membership(request, membership, "record.created")
            for membership, _fields in formset.changed_objects:
                _audit_membership(request, membership, "record.changed")

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Only a security administrator resets a password, never his own here; the reset is
        audited under his name and its owner must choose a new password at the next sign-in."""
        person = self.get_object(request, id)
        if person is None or not may_grant(request, person):
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            User.objects.filter(pk=person.pk).update(must_change_password=True)
            record(
                actor=request.user,  # type: ignore[arg-type]
                action=AuditAction.PASSWORD_CHANGED,
                target=person,
                extra={"user": person.username, "reset": True, "via": "admin"},
            )
        return response


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Role changes made here are audited like any other privilege change."""

    form = MembershipForm
    list_display = ["user", "role", "region", "org", "is_active", "valid_from", "valid_until"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "org__name", "region__name"]
    autocomplete_fields = ["user", "region", "org"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # type: ignore[attr-defined]
        return form

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) or is_security_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_grant(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request, obj.user if obj is not None else None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_grant(request, obj.user if obj is not None else None)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_membership(request, obj, "record.changed" if change else "record.created")

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        _audit_membership(request, obj, "record.changed")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py create_api_token`; the admin can only list and revoke
    them."""

    list_display = ["hint", "user", "name", "is_active", "expires_at", "last_used_at"]
    list_filter = ["is_active"]
    readonly_fields = ["user", "name", "hint", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
