"""Issue #17: a verification code never reaches the log, and production refuses the console
backend."""

import logging

from fengqiao.core.checks import sms_backend_is_real
from fengqiao.notifications.sms import ConsoleBackend


def test_the_console_backend_never_logs_the_text(caplog):
    with caplog.at_level(logging.DEBUG):
        ConsoleBackend().send("13912345678", "【枫桥】您的验证码是 482913，10分钟内有效。")
    assert "482913" not in caplog.text
    assert "13912345678" not in caplog.text
    assert "139****5678" in caplog.text


def test_production_refuses_the_console_backend(settings):
    settings.FENGQIAO_PRODUCTION = True
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.ConsoleBackend"
    assert [e.id for e in sms_backend_is_real()] == ["fengqiao.E001"]
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.FileBackend"  # the demo's
    assert [e.id for e in sms_backend_is_real()] == ["fengqiao.E001"]
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.HttpGatewayBackend"
    assert sms_backend_is_real() == []
    settings.FENGQIAO_PRODUCTION = False
    settings.FENGQIAO_SMS_BACKEND = "fengqiao.notifications.sms.ConsoleBackend"
    assert sms_backend_is_real() == []
