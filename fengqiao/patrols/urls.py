from django.urls import path

from fengqiao.patrols import views

app_name = "patrols"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/summary.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:round_id>/reports/<int:report_id>/sign/", views.report_sign, name="sign"),
    path("rounds/<int:round_id>/entries/<int:entry_id>/case/", views.entry_case, name="entry_case"),
    path("hazards/", views.hazards, name="hazards"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:assessment_id>/report.docx", views.assessment_report, name="report"),
    path("meetings/", views.meetings, name="meetings"),
]
