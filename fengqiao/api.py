"""The one NinjaAPI instance under /api/v1/: bearer tokens or the browser session on every call."""

from ninja.security import django_auth

from fengqiao.accounts.api_auth import ApiTokenAuth
from fengqiao.core.api import build_api

api = build_api(auth=[ApiTokenAuth(), django_auth])
api.add_router("/cases", "fengqiao.cases.api.router")
