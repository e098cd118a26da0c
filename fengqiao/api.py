"""The one NinjaAPI instance under /api/v1/: bearer tokens or the browser session on every call."""

from fengqiao.accounts.api_auth import ApiTokenAuth
from fengqiao.cases.api import router as cases_router
from fengqiao.core.api import SessionAuth, build_api
from fengqiao.intake import case_api

# Registering a case is the intake path's operation on the case collection (docs/architecture.md).
cases_router.add_api_operation("", ["POST"], case_api.cases_create, **case_api.OPERATION)

api = build_api(auth=[ApiTokenAuth(), SessionAuth()])
api.add_router("/cases", cases_router)
api.add_router("/reference", "fengqiao.cases.reference_api.router")
api.add_router("/events", "fengqiao.feed.api.router")
api.add_router("/intake", "fengqiao.intake.api.router")  # channel tokens, not user tokens
