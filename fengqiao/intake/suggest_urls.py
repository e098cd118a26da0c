from django.urls import path

from fengqiao.intake import suggest_views

urlpatterns = [path("suggest/", suggest_views.suggest, name="suggest")]
