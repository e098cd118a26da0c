"""Guided self-help, mounted under /portal/selfhelp/: no account needed."""

from django.urls import path

from fengqiao.selfhelp import views

app_name = "selfhelp"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/<int:tree_id>/", views.start, name="start"),
    path("<str:token>/", views.step, name="step"),
    path("<str:token>/answer/", views.answer, name="answer"),
    path("<str:token>/settled/", views.settled, name="settled"),
    path("<str:token>/apply/", views.apply, name="apply"),
]
