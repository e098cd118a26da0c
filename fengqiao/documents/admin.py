from django.contrib import admin
from django.http import HttpRequest

from fengqiao.documents.models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only: generated files are kept exactly as produced."""

    list_display = ("case", "kind", "format", "generated_by", "generated_at", "sha256")
    list_filter = ("kind", "format")
    search_fields = ("case__number", "sha256")
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: GeneratedDocument | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: GeneratedDocument | None = None
    ) -> bool:
        return False
