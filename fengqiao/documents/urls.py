from django.urls import path

from fengqiao.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:case_id>/panel/", views.panel, name="panel"),
    path(
        "cases/<int:case_id>/generate/<slug:kind>/<slug:file_format>/",
        views.generate,
        name="generate",
    ),
    path("cases/<int:case_id>/files/<int:document_id>/", views.download, name="download"),
]
