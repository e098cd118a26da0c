from django.contrib import admin

from fengqiao.knowledge.models import Citation, Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin[Entry]):
    list_display = ("title", "kind", "law_name", "article_no", "category", "visibility", "status")
    list_filter = ("kind", "status", "visibility", "category")
    search_fields = ("title", "code", "law_name")
    readonly_fields = ("status", "source_case", "created_by", "reviewed_by", "published_at")


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin[Citation]):
    list_display = ("entry", "case", "cited_in", "cited_by", "created_at")
    raw_id_fields = ("entry", "case")
    readonly_fields = ("entry", "case", "cited_in", "note", "cited_by")

    def has_add_permission(self, request: object) -> bool:  # citations are made on the case page
        return False
