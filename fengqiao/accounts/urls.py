from django.contrib.auth import views as auth_views
from django.urls import path

from fengqiao.accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("login/code/", views.second_factor, name="second_factor"),
    path("login/recovery/", views.second_factor_recovery, name="second_factor_recovery"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("authenticator/", views.my_authenticator, name="my_authenticator"),
    path(
        "authenticator/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("security/", views.security_admin, name="security_admin"),
    path("security/<int:user_id>/<str:action>/", views.security_action, name="security_action"),
]
