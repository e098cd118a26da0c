from django.urls import path

from fengqiao.intake import views

app_name = "intake"
urlpatterns = [
    path("import/", views.import_ledger, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
]
