from django.urls import path

from fengqiao.cadences import views

app_name = "cadences"
urlpatterns = [
    path("", views.index, name="index"),
    path("rollup/<str:code>/<int:year>/<int:month>/", views.rollup, name="rollup"),
]
