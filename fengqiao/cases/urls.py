from django.urls import path
from django.views.generic import RedirectView

from fengqiao.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("cases/", views.case_list, name="list"),
    # registering is the intake path's (intake:register); old bookmarks of the form still work
    path("cases/new/", RedirectView.as_view(pattern_name="intake:register"), name="register_moved"),
    path("cases/new/subcategories/", views.subcategories, name="subcategories"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/header/", views.case_header, name="header"),
    path("cases/<int:case_id>/timeline/", views.case_timeline, name="timeline"),
    path("cases/<int:case_id>/actions/", views.case_actions, name="actions"),
    path("cases/<int:case_id>/actions/<str:name>/", views.case_transition, name="transition"),
    path("cases/<int:case_id>/parties/<int:party_id>/reveal/", views.party_reveal, name="reveal"),
    path(
        "cases/<int:case_id>/parties/<int:party_id>/particulars/",
        views.party_particulars,
        name="particulars",
    ),
]
