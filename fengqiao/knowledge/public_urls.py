"""The citizen side of the knowledge base, mounted under /portal/ with the rest of what needs no
account."""

from django.urls import path

from fengqiao.knowledge import views

app_name = "kb"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<int:entry_id>/", views.public_detail, name="detail"),
]
