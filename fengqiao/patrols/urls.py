from django.urls import path

from fengqiao.patrols import views

app_name = "patrols"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/special/", views.round_special, name="round_special"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/summary.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:round_id>/reports/<int:report_id>/sign/", views.report_sign, name="sign"),
    path("rounds/<int:round_id>/entries/<int:entry_id>/case/", views.entry_case, name="entry_case"),
    path("hazards/", views.hazards, name="hazards"),
    path("hazards/<int:hazard_id>/", views.hazard_detail, name="hazard"),
    path("periods/", views.periods, name="periods"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:assessment_id>/report.docx", views.assessment_report, name="report"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/tasks/", views.meeting_task_add, name="task_add"),
    path(
        "meetings/<int:meeting_id>/tasks/<int:task_id>/done/",
        views.meeting_task_complete,
        name="task_done",
    ),
]
