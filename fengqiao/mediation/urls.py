from django.urls import path

from fengqiao.mediation import roster_views, views

app_name = "mediation"
urlpatterns = [
    path("cases/<int:case_id>/panel/", views.panel, name="panel"),
    path("cases/<int:case_id>/suggestions/", views.suggestions, name="suggestions"),
    path("cases/<int:case_id>/<slug:step>/", views.act, name="act"),
    path("roster/", views.roster, name="roster"),
    path("roster/new/", roster_views.mediator_new, name="mediator_new"),
    path("roster/<int:mediator_id>/edit/", roster_views.mediator_edit, name="mediator_edit"),
    path(
        "roster/<int:mediator_id>/availability/",
        roster_views.mediator_availability,
        name="mediator_availability",
    ),
    path("roster/subsidy/", views.subsidy, name="subsidy"),
    path("roster/<int:mediator_id>/", views.mediator_detail, name="mediator"),
    path("roster/<int:mediator_id>/<slug:what>/", views.mediator_add_record, name="mediator_add"),
]
