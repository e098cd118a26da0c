"""The one NinjaAPI instance under /api/v1/: bearer tokens or the browser session on every call."""

from fengqiao.accounts.api_auth import ApiTokenAuth
from fengqiao.core.api import SessionAuth, build_api

api = build_api(auth=[ApiTokenAuth(), SessionAuth()])
api.add_router("/cases", "fengqiao.cases.api.router")
api.add_router("/reference", "fengqiao.cases.reference_api.router")
api.add_router("/events", "fengqiao.feed.api.router")
api.add_router("/intake", "fengqiao.intake.api.router")  # channel tokens, not user tokens
