from django.contrib.auth import views as auth_views
from django.urls import path

from fengqiao.accounts.forms import LockingAuthenticationForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LockingAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
