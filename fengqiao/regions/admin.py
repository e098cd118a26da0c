from django.contrib import admin

from fengqiao.regions.models import Grid, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "village"]
    search_fields = ["code", "name", "village__name"]
    autocomplete_fields = ["village"]
    filter_horizontal = ["workers"]
