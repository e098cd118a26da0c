from django.contrib import admin

from fengqiao.cases.models import DeadlinePolicy, DisputeCategory


@admin.register(DisputeCategory)
class DisputeCategoryAdmin(admin.ModelAdmin):
    """The category dictionary (DOMAIN §6.5) is data: offices add and retire entries here.

    Cases themselves are not editable in the admin: every change goes through the workflow executor.
    """

    list_display = ["code", "name", "parent", "order", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["code", "name"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    """Time limits are data (ARCHITECTURE rule 5): the most specific active row applies."""

    list_display = ["channel", "category", "level", "days", "working_days", "basis", "is_active"]
    list_filter = ["is_active", "working_days", "channel"]
