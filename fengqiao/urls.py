from django.contrib import admin
from django.urls import include, path

from fengqiao.accounts.views import admin_login
from fengqiao.api import api
from fengqiao.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
    path("esign/", include("fengqiao.esign.urls")),
    path("knowledge/", include("fengqiao.knowledge.urls")),
    path("portal/knowledge/", include("fengqiao.knowledge.public_urls")),
    path("portal/selfhelp/", include("fengqiao.selfhelp.urls")),
    path("portal/legal-aid/", include("fengqiao.legalaid.public_urls")),
    path("legal-aid/", include("fengqiao.legalaid.urls")),
    path("registers/", include("fengqiao.registers.urls")),
    path("wellbeing/", include("fengqiao.wellbeing.urls")),
    path("cadences/", include("fengqiao.cadences.urls")),
    path("portal/", include("fengqiao.portal.urls")),
    path("audit/", include("fengqiao.audit_review.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("fengqiao.open311.urls")),  # GeoReport v2: docs/open311.md
    path("admin/login/", admin_login),  # the admin signs in with both factors too
    path("admin/", admin.site.urls),
]
