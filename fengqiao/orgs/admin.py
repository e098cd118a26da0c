from django.contrib import admin

from fengqiao.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "specialty", "region", "code", "is_active"]
    list_filter = ["kind", "specialty", "is_active", "region__level"]
    search_fields = ["name", "code", "region__name", "region__code"]
    autocomplete_fields = ["region"]
