from django.urls import path

from fengqiao.intake import dedup_views

urlpatterns = [
    path("duplicates/draft/", dedup_views.draft_candidates, name="duplicates_draft"),
    path("cases/<int:case_id>/duplicates/", dedup_views.panel, name="duplicates"),
    path(
        "cases/<int:case_id>/duplicates/<int:other_id>/link/",
        dedup_views.link,
        name="duplicates_link",
    ),
    path(
        "cases/<int:case_id>/duplicates/<int:other_id>/merge/",
        dedup_views.merge,
        name="duplicates_merge",
    ),
]
