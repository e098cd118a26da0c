from django.urls import path

from fengqiao.kpi import views

app_name = "kpi"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.figures_import, name="figures"),
    path("boundaries/<str:code>.geojson", views.boundary, name="boundary"),
    path("wusong/", views.wusong_index, name="wusong"),
    path("wusong/<str:code>/<int:year>/", views.evaluation, name="evaluation"),
    path("charts/<str:key>.xlsx", views.chart_xlsx, name="chart_xlsx"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:report_id>.docx", views.report_download, name="report_download"),
    path("<str:code>/<str:part>/<int:position>/", views.drill, name="drill"),
]
