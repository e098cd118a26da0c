"""How one message leaves the system on each channel. Every sender raises ``ChannelError`` when
the message was not accepted, so the outbox retries it; none touches the database.

Result callbacks (``http``): the JSON payload is POSTed with an ``Idempotency-Key`` header (the
outbox row's key, the same on every retry) and, when the receiver gave a secret,
``X-Fengqiao-Signature: sha256=<hex HMAC-SHA256 of the body>``; any 2xx answer is success.

Group robots: 企业微信 and 钉钉 both take ``{"msgtype": "text", "text": {"content": …}}`` and
answer ``{"errcode": 0}`` on success (anything else is a failure, even with HTTP 200). A 钉钉
robot with 加签 wants ``&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256 of
"timestamp\\nsecret" keyed by the secret>`` on the URL.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from fengqiao.notifications import sms
from fengqiao.notifications.choices import Channel


class ChannelError(Exception):
    """The channel did not take the message; try again later."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    title: str
    text: str
    target: str  # phone, address, the robot URL or the callback URL
    secret: str = ""
    payload: Any = None  # the JSON body of an http message
    idempotency_key: str = ""

    @property
    def content(self) -> str:
        return f"{self.title}\n{self.text}".strip()


def _timeout() -> float:
    return float(getattr(settings, "FENGQIAO_OUTBOUND_TIMEOUT", 10))


def _post_json(url: str, payload: dict[str, object]) -> None:
    if not url.startswith(("http://", "https://")):
        raise ChannelError("the robot URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310  scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(f"unreachable: {exc}") from exc
    try:
        answer = json.loads(body or b"{}")
    except ValueError as exc:
        raise ChannelError("the robot did not answer JSON") from exc
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        raise ChannelError(f"robot refused: {str(answer)[:200]}")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def send_wecom(message: Outgoing) -> None:
    _post_json(message.target, {"msgtype": "text", "text": {"content": message.content}})


def send_dingtalk(message: Outgoing) -> None:
    url = message.target
    if message.secret:
        timestamp = int(time.time() * 1000)
        joiner = "&" if "?" in url else "?"
        url = f"{url}{joiner}timestamp={timestamp}&sign={dingtalk_sign(message.secret, timestamp)}"
    _post_json(url, {"msgtype": "text", "text": {"content": message.content}})


def send_sms(message: Outgoing) -> None:
    try:
        sms.send_sms(message.target, message.content)
    except sms.SmsError as exc:
        raise ChannelError(str(exc)) from exc


def send_email(message: Outgoing) -> None:
    try:
        send_mail(
            message.title,
            message.text,
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [message.target],
        )
    except OSError as exc:
        raise ChannelError(str(exc)) from exc


def send_http(message: Outgoing) -> None:
    """A signed JSON result to another system (12345 工单办结, the court's 委派调解 result)."""
    if not message.target.startswith(("http://", "https://")):
        raise ChannelError("the callback URL must be http(s)")
    body = json.dumps(message.payload, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": message.idempotency_key,
        "User-Agent": "fengqiao-callback/1",
    }
    if message.secret:
        signature = hmac.new(message.secret.encode(), body, hashlib.sha256).hexdigest()
        headers["X-Fengqiao-Signature"] = f"sha256={signature}"
    request = urllib.request.Request(  # noqa: S310  scheme checked above
        message.target, data=body, headers=headers, method="POST"
    )
    timeout = float(getattr(settings, "FENGQIAO_CALLBACK_TIMEOUT_SECONDS", _timeout()))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(f"unreachable: {exc}") from exc
    if not 200 <= status < 300:
        raise ChannelError(f"HTTP {status}")


SENDERS: dict[str, Callable[[Outgoing], None]] = {
    Channel.HTTP: send_http,
    Channel.SMS: send_sms,
    Channel.EMAIL: send_email,
    Channel.WECOM: send_wecom,
    Channel.DINGTALK: send_dingtalk,
}
