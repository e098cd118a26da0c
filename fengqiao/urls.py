from django.contrib import admin
from django.urls import include, path

from fengqiao.api import api

urlpatterns = [
    path("", include("fengqiao.cases.urls")),
    path("accounts/", include("fengqiao.accounts.urls")),
    path("intake/", include("fengqiao.intake.urls")),
    path("routing/", include("fengqiao.routing.urls")),
    path("mediation/", include("fengqiao.mediation.urls")),
    path("supervision/", include("fengqiao.supervision.urls")),
    path("patrols/", include("fengqiao.patrols.urls")),
    path("kpi/", include("fengqiao.kpi.urls")),
    path("ledgers/", include("fengqiao.dataio.urls")),
    path("documents/", include("fengqiao.documents.urls")),
    path("portal/", include("fengqiao.portal.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
