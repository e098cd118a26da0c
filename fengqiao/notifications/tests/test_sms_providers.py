"""Issue #17: real SMS providers. Aliyun's and Tencent Cloud's SendSms APIs are played by local
contract fakes that check the request the way the providers document it (阿里云 RPC 签名 v1,
腾讯云 TC3-HMAC-SHA256) — written here from the documentation, not from the backend's code — and
answer in the providers' formats; a wrong key or a refusal is an SmsError, and no backend logs
the text it sends."""

import base64
import hashlib
import hmac
import json
import logging
import threading
import urllib.parse
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fengqiao.notifications import sms

KEY_ID, SECRET = "LTAI-test-key", "test-secret-Xyz"
TEMPLATES = {"code": "SMS_000001", "notice": "SMS_000002", "receipt": "SMS_000003"}


def _rfc3986(value: str) -> str:
    return urllib.parse.quote(value, safe="~-._")


class Aliyun(BaseHTTPRequestHandler):
    """dysmsapi.aliyuncs.com: GET with the RPC common parameters, HMAC-SHA1 over
    "GET&%2F&" + encode(sorted canonical query) keyed by AccessKeySecret + "&"."""

    received: list[dict[str, str]] = []
    answer: dict[str, str] = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}

    def do_GET(self) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        signature = query.pop("Signature", "")
        canonical = "&".join(f"{_rfc3986(k)}={_rfc3986(query[k])}" for k in sorted(query))
        to_sign = "GET&%2F&" + _rfc3986(canonical)
        expected = base64.b64encode(
            hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        required = {
            "AccessKeyId",
            "Action",
            "PhoneNumbers",
            "SignName",
            "TemplateCode",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version",
        }
        ok = (
            signature == expected
            and required <= set(query)
            and query["AccessKeyId"] == KEY_ID
            and query["Action"] == "SendSms"
            and query["Version"] == "2017-05-25"
        )
        Aliyun.received.append(query)
        body = Aliyun.answer if ok else {"Code": "SignatureDoesNotMatch", "Message": "bad"}
        self._json(body)

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return


class Tencent(Aliyun):
    """sms.tencentcloudapi.com: POST JSON, Authorization TC3-HMAC-SHA256 as in 签名方法 v3."""

    answer = {
        "Response": {"SendStatusSet": [{"Code": "Ok", "Message": "send success"}], "RequestId": "r"}
    }

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp = int(self.headers["X-TC-Timestamp"])
        day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        host = self.headers["Host"]
        canonical = (
            "POST\n/\n\n"
            f"content-type:{self.headers['Content-Type']}\nhost:{host}\n\n"
            "content-type;host\n" + hashlib.sha256(body).hexdigest()
        )
        scope = f"{day}/sms/tc3_request"
        to_sign = (
            f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
            + hashlib.sha256(canonical.encode()).hexdigest()
        )
        key = hmac.new(f"TC3{SECRET}".encode(), day.encode(), hashlib.sha256).digest()
        key = hmac.new(key, b"sms", hashlib.sha256).digest()
        key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        expected = (
            f"TC3-HMAC-SHA256 Credential={KEY_ID}/{scope}, "
            f"SignedHeaders=content-type;host, Signature={signature}"
        )
        payload = json.loads(body)
        Tencent.received.append({"headers": dict(self.headers), "payload": payload})
        ok = (
            self.headers.get("Authorization") == expected
            and self.headers.get("X-TC-Action") == "SendSms"
            and self.headers.get("X-TC-Version") == "2021-01-11"
        )
        if ok:
            self._json(Tencent.answer)
        else:
            self._json(
                {
                    "Response": {
                        "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"},
                        "RequestId": "r",
                    }
                }
            )


@pytest.fixture
def provider(settings):
    servers = []

    def start(handler: type[Aliyun], backend: str) -> None:
        handler.received = []
        server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.FENGQIAO_SMS_BACKEND = f"fengqiao.notifications.sms.{backend}"
        settings.FENGQIAO_SMS_ENDPOINT = f"http://127.0.0.1:{server.server_port}/"
        settings.FENGQIAO_SMS_ACCESS_KEY_ID = KEY_ID
        settings.FENGQIAO_SMS_ACCESS_KEY_SECRET = SECRET
        settings.FENGQIAO_SMS_SIGN_NAME = "枫桥调解"
        settings.FENGQIAO_SMS_SDK_APP_ID = "1400000001"
        settings.FENGQIAO_SMS_TEMPLATES = TEMPLATES

    yield start
    for server in servers:
        server.shutdown()


def test_aliyun_sends_a_verification_code_by_its_template(provider, caplog):
    provider(Aliyun, "AliyunBackend")
    with caplog.at_level(logging.DEBUG):
        sms.send_sms("13800138000", "验证码 654321", template="code", params={"code": "654321"})
    [query] = Aliyun.received
    assert query["PhoneNumbers"] == "13800138000"
    assert query["SignName"] == "枫桥调解"
    assert query["TemplateCode"] == "SMS_000001"
    assert json.loads(query["TemplateParam"]) == {"code": "654321"}
    assert "654321" not in caplog.text


def test_aliyun_with_a_wrong_secret_or_a_refusal_is_an_error(provider, settings):
    provider(Aliyun, "AliyunBackend")
    settings.FENGQIAO_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(sms.SmsError, match="SignatureDoesNotMatch"):
        sms.send_sms("13800138000", "你好")
    settings.FENGQIAO_SMS_ACCESS_KEY_SECRET = SECRET
    Aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
    try:
        with pytest.raises(sms.SmsError, match="BUSINESS_LIMIT_CONTROL"):
            sms.send_sms("13800138000", "你好")
    finally:
        Aliyun.answer = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}


def test_a_notice_goes_by_the_notice_template_with_its_text(provider):
    provider(Aliyun, "AliyunBackend")
    sms.send_sms("13800138000", "督办：案件即将到期")
    assert json.loads(Aliyun.received[0]["TemplateParam"]) == {"content": "督办：案件即将到期"}
    assert Aliyun.received[0]["TemplateCode"] == "SMS_000002"


def test_tencent_sends_a_verification_code_by_its_template(provider, caplog):
    provider(Tencent, "TencentBackend")
    with caplog.at_level(logging.DEBUG):
        sms.send_sms("13800138000", "验证码 654321", template="code", params={"code": "654321"})
    [request] = Tencent.received
    assert request["payload"] == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400000001",
        "SignName": "枫桥调解",
        "TemplateId": "SMS_000001",
        "TemplateParamSet": ["654321"],
    }
    assert "654321" not in caplog.text


def test_tencent_with_a_wrong_key_is_an_error(provider, settings):
    provider(Tencent, "TencentBackend")
    settings.FENGQIAO_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(sms.SmsError, match="AuthFailure"):
        sms.send_sms("13800138000", "你好")


def test_a_template_provider_without_the_template_is_an_error(provider, settings):
    provider(Tencent, "TencentBackend")
    settings.FENGQIAO_SMS_TEMPLATES = {"code": "1"}
    with pytest.raises(sms.SmsError, match="receipt"):
        sms.send_sms("13800138000", "受理回执", template="receipt", params={"code": "X"})
    assert Tencent.received == []
