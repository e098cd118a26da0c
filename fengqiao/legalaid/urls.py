from django.urls import path

from fengqiao.legalaid import views

app_name = "legalaid"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/", views.referral, name="referral"),
    path("<int:referral_id>/phone/", views.phone, name="phone"),
    path("cases/<int:case_id>/", views.case_panel, name="case_panel"),
]
