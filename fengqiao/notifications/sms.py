"""Pluggable SMS backends, chosen by ``settings.FENGQIAO_SMS_BACKEND`` (dotted path).

``send_sms(phone, text)`` is synchronous. The outbox calls it for SMS copies of notifications;
the citizen portal calls it directly for verification codes, which must arrive now or never
(a code retried minutes later is useless, and its text must not sit in an outbox row).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "fengqiao.notifications.sms.ConsoleBackend"


class SmsError(Exception):
    """The SMS could not be handed to the gateway."""


class BaseBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Keeps the message in ``outbox`` (like Django's locmem mail backend) and logs that one was
    sent, never its text: a verification code in a log file opens someone's case (issue #17).
    Development only; production refuses it (core.checks)."""

    outbox: list[dict[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        ConsoleBackend.outbox.append({"phone": phone, "text": text})
        logger.info(
            "SMS to %s (%d characters, not logged)", phone[:3] + "****" + phone[-4:], len(text)
        )


class HttpGatewayBackend(BaseBackend):
    """POSTs JSON ``{"phone", "text"}`` to FENGQIAO_SMS_GATEWAY_URL with a token header."""

    def send(self, phone: str, text: str) -> None:
        url = getattr(settings, "FENGQIAO_SMS_GATEWAY_URL", "")
        if not url:
            raise SmsError("FENGQIAO_SMS_GATEWAY_URL is not configured")
        if not url.startswith(("http://", "https://")):
            raise SmsError("FENGQIAO_SMS_GATEWAY_URL must be an http(s) URL")
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Fengqiao-Token": getattr(settings, "FENGQIAO_SMS_GATEWAY_TOKEN", ""),
            },
        )
        timeout = getattr(settings, "FENGQIAO_OUTBOUND_TIMEOUT", 10)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"SMS gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"SMS gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"SMS gateway answered HTTP {status}")


def get_backend() -> BaseBackend:
    path = getattr(settings, "FENGQIAO_SMS_BACKEND", DEFAULT_BACKEND)
    backend: BaseBackend = import_string(path)()
    return backend


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
