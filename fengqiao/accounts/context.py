"""What the navigation offers the signed-in person beyond everyday case work (三员分立 pages)."""

from typing import Any

from django.http import HttpRequest

from fengqiao.accounts import access
from fengqiao.accounts.roles import Capability


def admin_links(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    capabilities = {c for grant in access.grants_for(user) for c in grant.capabilities}
    return {
        "can_view_audit": Capability.AUDIT_VIEW in capabilities,
        "can_manage_security": Capability.SECURITY_MANAGE in capabilities,
    }
