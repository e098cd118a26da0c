from django.urls import path

from fengqiao.dataio import views

app_name = "dataio"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.ledger_page, name="ledger"),
    path("<str:code>.xlsx", views.ledger_export, name="export"),
]
