from django.urls import path

from fengqiao.esign import views

app_name = "esign"
agreement = "cases/<int:case_id>/agreements/<int:agreement_id>/"
urlpatterns = [
    path("cases/<int:case_id>/panel/", views.panel, name="panel"),
    path(agreement, views.sign_page, name="sign"),
    path(agreement + "parties/<int:party_id>/code/", views.send_code, name="code"),
    path(agreement + "parties/<int:party_id>/sign/", views.party_sign, name="party_sign"),
    path(agreement + "mediator/sign/", views.mediator_sign, name="mediator_sign"),
    path(agreement + "seal/", views.seal, name="seal"),
    path("cases/<int:case_id>/signed/<int:signed_id>/verify/", views.verify_stored, name="stored"),
    path("verify/", views.verify_upload, name="verify"),
]
