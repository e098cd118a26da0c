from django.urls import path

from fengqiao.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("code/", views.send_code, name="code"),
    path("villages/", views.villages, name="villages"),
    path("track/", views.track, name="track"),
    path("track/<str:tracking_code>/", views.progress, name="progress"),
    path("track/<str:tracking_code>/evidence/", views.add_evidence, name="evidence"),
    path("track/<str:tracking_code>/rate/", views.rate, name="rate"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/consents/", views.consents, name="consents"),
    path("privacy/consents/mine/", views.consents_mine, name="consents_mine"),
    path(
        "privacy/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    # staff side
    path("attachments/<int:attachment_id>/", views.attachment_download, name="download"),
    path("cases/<int:case_id>/evidence/", views.evidence_panel, name="evidence_panel"),
]
