from django.contrib import admin
from django.http import HttpRequest

from fengqiao.regions.models import Grid, Region, RegionChange


class RegionChangeInline(admin.TabularInline):
    """The yearly tables' changes to this division: written by the importer, read here."""

    model = RegionChange
    fk_name = "region"
    extra = 0
    can_delete = False
    fields = ("year", "kind", "old_name", "new_name", "old_parent_code", "successor")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population", "abolished_in"]
    list_filter = ["level", "abolished_in"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "successor"]
    inlines = [RegionChangeInline]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "village"]
    search_fields = ["code", "name", "village__name"]
    autocomplete_fields = ["village"]
    filter_horizontal = ["workers"]
