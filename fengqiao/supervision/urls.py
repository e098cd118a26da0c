from django.urls import path

from fengqiao.supervision import views

app_name = "supervision"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.read_all, name="read_all"),
    path("inbox/<int:notification_id>/read/", views.read, name="read"),
    path("board/", views.board, name="board"),
    path("preferences/", views.preferences, name="preferences"),
    path("cases/<int:case_id>/panel/", views.panel, name="panel"),
    path("cases/<int:case_id>/issue/", views.issue, name="issue"),
    path("cases/<int:case_id>/notices/<int:notice_id>/reply/", views.reply, name="reply"),
    path("cases/<int:case_id>/notices/<int:notice_id>/close/", views.close, name="close"),
]
