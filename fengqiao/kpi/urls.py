from django.urls import path

from fengqiao.kpi import views

app_name = "kpi"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures/", views.figures_import, name="figures"),
    path("charts/<str:key>.xlsx", views.chart_xlsx, name="chart_xlsx"),
    path("<str:code>/<str:part>/<int:position>/", views.drill, name="drill"),
]
