from django.urls import include, path

from fengqiao.intake import grid, register_views, risk_views, sources, views

app_name = "intake"
urlpatterns = [
    path("new/", register_views.register, name="register"),
    path("import/", views.import_ledger, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("import/<int:import_id>/", views.import_job, name="import_job"),
    path("import/<int:import_id>/status/", views.import_job_status, name="import_status"),
    path("import/<int:import_id>/confirm/", views.import_job_confirm, name="import_confirm"),
    path("import/<int:import_id>/report.xlsx", views.import_job_report, name="import_report"),
    path("grid/report/", grid.grid_report, name="grid_report"),
    path("cases/<int:case_id>/sources/", sources.panel, name="sources"),
    path("cases/<int:case_id>/risk/", risk_views.panel, name="risk"),
    path("", include("fengqiao.intake.dedup_urls")),
    path("", include("fengqiao.intake.suggest_urls")),
]
