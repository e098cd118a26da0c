from django.urls import path

from fengqiao.supervision import views

app_name = "supervision"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.read_all, name="read_all"),
    path("inbox/<int:notification_id>/read/", views.read, name="read"),
]
