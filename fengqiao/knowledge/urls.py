from django.urls import path

from fengqiao.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.entry_new, name="new"),
    path("<int:entry_id>/", views.detail, name="detail"),
    path("<int:entry_id>/review/", views.review, name="review"),
    path("cases/<int:case_id>/promote/", views.promote, name="promote"),
    path("cases/<int:case_id>/citations/", views.case_panel, name="case_panel"),
]
