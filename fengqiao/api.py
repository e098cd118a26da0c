"""The one NinjaAPI instance under /api/v1/; routers are added by dotted path."""

from fengqiao.core.api import build_api

api = build_api()
