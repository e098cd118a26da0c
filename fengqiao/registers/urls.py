from django.urls import path

from fengqiao.registers import views

app_name = "registers"
urlpatterns = [
    path("", views.people, name="people"),
    path("subsidies/", views.subsidies, name="subsidies"),
    path("ratings/", views.rate, name="rate"),
]
