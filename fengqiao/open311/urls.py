from django.urls import path, register_converter

from fengqiao.open311 import views
from fengqiao.open311.formats import FormatConverter

register_converter(FormatConverter, "fmt")

app_name = "open311"
urlpatterns = [
    path("services.<fmt:fmt>", views.services, name="services"),
    path("requests.<fmt:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<fmt:fmt>", views.request_detail, name="request"),
]
