import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from fengqiao.notifications import sms


@pytest.fixture
def gateway():
    received = []

    class Handler(BaseHTTPRequestHandler):
        status = 200

        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                (self.headers.get("X-Fengqiao-Token"), json.loads(self.rfile.read(length)))
            )
            self.send_response(Handler.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, Handler, received
    server.shutdown()
    server.server_close()


def test_console_backend_keeps_outbox(settings):
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.ConsoleBackend"
    sms.ConsoleBackend.outbox.clear()
    sms.send_sms("13800138000", "验证码 123456")
    assert sms.ConsoleBackend.outbox == [{"phone": "13800138000", "text": "验证码 123456"}]


def test_http_gateway_posts_json_and_raises_on_error(settings, gateway):
    server, handler, received = gateway
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.HttpGatewayBackend"
    settings.FENGQIAO_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.FENGQIAO_SMS_GATEWAY_TOKEN = "tok"
    sms.send_sms("13800138000", "你好")
    assert received == [("tok", {"phone": "13800138000", "text": "你好"})]
    handler.status = 500
    with pytest.raises(sms.SmsError):
        sms.send_sms("13800138000", "你好")


def test_the_development_file_backend_writes_one_json_line_per_message(settings, tmp_path, caplog):
    """The demo's codes can be read (README) from the file, never from the log."""
    import json
    import logging

    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.FileBackend"
    settings.FENGQIAO_SMS_FILE = str(tmp_path / "var" / "sms.jsonl")
    with caplog.at_level(logging.DEBUG):
        sms.send_sms("13800138000", "验证码 246810", template="code", params={"code": "246810"})
        sms.send_sms("13800138001", "你好")
    lines = (tmp_path / "var" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["phone"] for line in lines] == ["13800138000", "13800138001"]
    assert json.loads(lines[0])["params"] == {"code": "246810"}
    assert "246810" not in caplog.text
