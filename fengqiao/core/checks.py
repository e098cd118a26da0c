"""System checks for production settings (``manage.py check``, run by every deploy)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

CONSOLE_SMS = "fengqiao.notifications.sms.ConsoleBackend"
FILE_SMS = "fengqiao.notifications.sms.FileBackend"


@register()
def sms_backend_is_real(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """In production the console SMS backend sends nothing: citizens would never get their
    code (issue #17). Refuse to start with it."""
    if not getattr(settings, "FENGQIAO_PRODUCTION", False):
        return []
    backend = getattr(settings, "FENGQIAO_SMS_BACKEND", CONSOLE_SMS)
    if backend in (CONSOLE_SMS, FILE_SMS):
        return [
            Error(
                "FENGQIAO_SMS_BACKEND is a development backend in production: no SMS is sent.",
                hint="Set FENGQIAO_SMS_BACKEND to the SMS gateway (docs/deployment.md, SMS).",
                id="fengqiao.E001",
            )
        ]
    return []
