"""The citizen's legal aid check, under /portal/ (no account)."""

from django.urls import path

from fengqiao.legalaid import views

app_name = "legalaid_public"
urlpatterns = [path("", views.check, name="check")]
