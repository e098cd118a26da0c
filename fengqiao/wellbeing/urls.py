from django.urls import path

from fengqiao.wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("", views.rooms, name="rooms"),
    path("cases/<int:case_id>/", views.case_panel, name="case_panel"),
]
