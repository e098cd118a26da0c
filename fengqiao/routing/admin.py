from django.contrib import admin

from fengqiao.routing.models import InvitedOrganisation, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("priority", "name", "code", "target", "target_org", "is_active")
    list_display_links = ("name",)
    list_editable = ("priority", "is_active")
    list_filter = ("is_active", "target")
    search_fields = ("name", "code")
    filter_horizontal = ("categories",)
    autocomplete_fields = ("within", "target_org")
    fieldsets = (
        (None, {"fields": ("code", "name", "priority", "is_active")}),
        (
            "条件（都满足才适用；留空表示不限）",
            {
                "fields": (
                    "within",
                    "channels",
                    "categories",
                    "party_spread",
                    "min_amount",
                    "min_people",
                )
            },
        ),
        ("承办", {"fields": ("target", "target_org", "target_org_kind")}),
    )


@admin.register(InvitedOrganisation)
class InvitedOrganisationAdmin(admin.ModelAdmin):
    list_display = ("court", "org", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ("court", "org")
