"""Pluggable SMS backends, chosen by ``settings.FENGQIAO_SMS_BACKEND`` (dotted path).

``send_sms(phone, text)`` is synchronous. The outbox calls it for SMS copies of notifications;
the citizen portal calls it directly for verification codes, which must arrive now or never
(a code retried minutes later is useless, and its text must not sit in an outbox row).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "fengqiao.notifications.sms.ConsoleBackend"


class SmsError(Exception):
    """The SMS could not be handed to the gateway."""


class BaseBackend:
    """``text`` is the whole message; ``template`` ("code" or "notice") and ``params`` are what
    template-based providers (Aliyun, Tencent Cloud) send instead of free text."""

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Keeps the message in ``outbox`` (like Django's locmem mail backend) and logs that one was
    sent, never its text: a verification code in a log file opens someone's case (issue #17).
    Development only; production refuses it (core.checks)."""

    outbox: list[dict[str, str]] = []

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
        ConsoleBackend.outbox.append({"phone": phone, "text": text})
        logger.info(
            "SMS to %s (%d characters, not logged)", phone[:3] + "****" + phone[-4:], len(text)
        )


class FileBackend(BaseBackend):
    """Development and the demo: appends each message as one JSON line to FENGQIAO_SMS_FILE
    (``make run``: var/sms-outbox.jsonl), so whoever runs the demo can read the portal's and the
    signing page's codes there, and a test can read them from another process. Never logged;
    production refuses it (core.checks), since the file holds live codes."""

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
        path = Path(_setting("FENGQIAO_SMS_FILE"))
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"phone": phone, "text": text, "template": template, "params": params or {}},
            ensure_ascii=False,
        )
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")
        logger.info("SMS to %s written to %s (not logged)", phone[:3] + "****" + phone[-4:], path)


class HttpGatewayBackend(BaseBackend):
    """POSTs JSON ``{"phone", "text"}`` to FENGQIAO_SMS_GATEWAY_URL with a token header."""

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
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


def _setting(name: str) -> str:
    value = str(getattr(settings, name, "") or "")
    if not value:
        raise SmsError(f"{name} is not configured")
    return value


def _template(template: str) -> str:
    """The provider's approved template for a kind of message (FENGQIAO_SMS_TEMPLATES)."""
    templates: dict[str, str] = getattr(settings, "FENGQIAO_SMS_TEMPLATES", {}) or {}
    if not templates.get(template):
        raise SmsError(f"FENGQIAO_SMS_TEMPLATES has no template for {template!r}")
    return templates[template]


def _params(text: str, params: dict[str, str] | None) -> dict[str, str]:
    return dict(params) if params else {"content": text}


def _open(request: urllib.request.Request) -> bytes:
    timeout = getattr(settings, "FENGQIAO_OUTBOUND_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        raise SmsError(f"SMS provider answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsError(f"SMS provider unreachable: {exc}") from exc


def _answer(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body or b"{}")
    except ValueError as exc:
        raise SmsError("the SMS provider did not answer JSON") from exc
    if not isinstance(answer, dict):
        raise SmsError("the SMS provider's answer is not an object")
    return answer


def _https(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise SmsError("the SMS provider's endpoint must be an http(s) URL")
    return url


def aliyun_percent(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986, everything but A-Z a-z 0-9 - _ . ~ escaped (space %20)."""
    return urllib.parse.quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """阿里云 RPC 签名 (SignatureVersion 1.0, HMAC-SHA1): sort, encode, sign the query."""
    query = "&".join(f"{aliyun_percent(k)}={aliyun_percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{aliyun_percent('/')}&{aliyun_percent(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend(BaseBackend):
    """阿里云短信服务 SendSms (API version 2017-05-25), RPC-signed GET. Settings:
    FENGQIAO_SMS_ACCESS_KEY_ID / _SECRET, FENGQIAO_SMS_SIGN_NAME, FENGQIAO_SMS_TEMPLATES
    ({"code": "SMS_…", "notice": "SMS_…"}), FENGQIAO_SMS_ENDPOINT (default the public one; a
    government cloud or a VPC endpoint in production). Success is ``{"Code": "OK"}``."""

    DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
        query = {
            "AccessKeyId": _setting("FENGQIAO_SMS_ACCESS_KEY_ID"),
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": str(getattr(settings, "FENGQIAO_SMS_REGION", "") or "cn-hangzhou"),
            "SignName": _setting("FENGQIAO_SMS_SIGN_NAME"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": _template(template),
            "TemplateParam": json.dumps(_params(text, params), ensure_ascii=False),
            "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(query, _setting("FENGQIAO_SMS_ACCESS_KEY_SECRET"))
        endpoint = _https(
            str(getattr(settings, "FENGQIAO_SMS_ENDPOINT", "") or self.DEFAULT_ENDPOINT)
        )
        url = f"{endpoint}?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"
        answer = _answer(_open(urllib.request.Request(url, method="GET")))  # noqa: S310
        if answer.get("Code") != "OK":
            raise SmsError(f"Aliyun SMS refused: {answer.get('Code')} {answer.get('Message')}")


def tencent_authorization(
    *, secret_id: str, secret_key: str, host: str, body: bytes, timestamp: int
) -> str:
    """腾讯云 API 签名 v3 (TC3-HMAC-SHA256) for a JSON POST to ``host``'s root."""
    day = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/sms/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )

    def _hmac(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    signing = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), "sms"), "tc3_request")
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


class TencentBackend(BaseBackend):
    """腾讯云短信 SendSms (API version 2021-01-11), TC3-HMAC-SHA256-signed POST. Settings:
    FENGQIAO_SMS_ACCESS_KEY_ID / _SECRET (SecretId / SecretKey), FENGQIAO_SMS_SDK_APP_ID,
    FENGQIAO_SMS_SIGN_NAME, FENGQIAO_SMS_TEMPLATES (template ids), FENGQIAO_SMS_REGION
    (default ap-guangzhou), FENGQIAO_SMS_ENDPOINT. Template parameters go in the order given.
    Success is every ``SendStatusSet`` item with ``"Code": "Ok"``."""

    DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com/"

    def send(
        self,
        phone: str,
        text: str,
        *,
        template: str = "notice",
        params: dict[str, str] | None = None,
    ) -> None:
        number = phone if phone.startswith("+") else f"+86{phone}"
        body = json.dumps(
            {
                "PhoneNumberSet": [number],
                "SmsSdkAppId": _setting("FENGQIAO_SMS_SDK_APP_ID"),
                "SignName": _setting("FENGQIAO_SMS_SIGN_NAME"),
                "TemplateId": _template(template),
                "TemplateParamSet": list(_params(text, params).values()),
            },
            ensure_ascii=False,
        ).encode()
        endpoint = _https(
            str(getattr(settings, "FENGQIAO_SMS_ENDPOINT", "") or self.DEFAULT_ENDPOINT)
        )
        host = urllib.parse.urlsplit(endpoint).netloc
        timestamp = int(time.time())
        headers = {
            "Authorization": tencent_authorization(
                secret_id=_setting("FENGQIAO_SMS_ACCESS_KEY_ID"),
                secret_key=_setting("FENGQIAO_SMS_ACCESS_KEY_SECRET"),
                host=host,
                body=body,
                timestamp=timestamp,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": str(getattr(settings, "FENGQIAO_SMS_REGION", "") or "ap-guangzhou"),
        }
        request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")  # noqa: S310
        response = _answer(_open(request)).get("Response") or {}
        if "Error" in response:
            error = response["Error"]
            raise SmsError(f"Tencent SMS refused: {error.get('Code')} {error.get('Message')}")
        statuses = response.get("SendStatusSet") or []
        if not statuses or any(s.get("Code") != "Ok" for s in statuses):
            raise SmsError(f"Tencent SMS refused: {statuses}")


def get_backend() -> BaseBackend:
    path = getattr(settings, "FENGQIAO_SMS_BACKEND", DEFAULT_BACKEND)
    backend: BaseBackend = import_string(path)()
    return backend


def send_sms(
    phone: str, text: str, *, template: str = "notice", params: dict[str, str] | None = None
) -> None:
    """Send now. ``template``/``params`` are used by template providers; others send ``text``."""
    get_backend().send(phone, text, template=template, params=params)
