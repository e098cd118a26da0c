from django.urls import path

from fengqiao.registers import adviser_views, views

app_name = "registers"
urlpatterns = [
    path("", views.people, name="people"),
    path("subsidies/", views.subsidies, name="subsidies"),
    path("ratings/", views.rate, name="rate"),
    path("advisers/", adviser_views.index, name="advisers"),
    path("advisers/<int:adviser_id>/logs/", adviser_views.log, name="adviser_log"),
    path("advisers/cases/", adviser_views.my_cases, name="my_cases"),
    path("advisers/cases/<int:case_id>/", adviser_views.my_case, name="my_case"),
    path("cases/<int:case_id>/advisers/", adviser_views.case_panel, name="case_panel"),
]
