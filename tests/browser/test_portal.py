"""A citizen applies on a phone-sized screen without an account, with a verification code and a
photo, gets a tracking code, and follows the case — first in the same browser, then from a fresh
one with the tracking code, the phone and a new code; the privacy notice is on the form, no code
is sent before it is agreed to, and the citizen then sees and withdraws his consents (issue #16).
Real server process, Debian's Chromium.

The server runs in a subprocess on its own database (as in ``test_mediation_flow``), with the
development SMS backend writing each message as a JSON line to a file the test reads.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, environment, running_server, sms_code, sms_messages

PHONE = "13912345678"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

BOOTSTRAP = """
import json, os, sys
import django
django.setup()
from django.conf import settings
settings.FENGQIAO_PORTAL_CODES_PER_PHONE_MINUTE = 10  # the test asks twice within a minute
settings.MEDIA_ROOT = os.environ["PORTAL_TEST_MEDIA"]  # uploads stay out of the working tree
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "runserver", sys.argv[1], "--noreload", "--insecure"])
"""


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory) -> Iterator[dict[str, str]]:
    outbox = tmp_path_factory.mktemp("sms") / "outbox.jsonl"
    env = environment(
        database_url,
        FENGQIAO_SMS_BACKEND="fengqiao.notifications.sms.FileBackend",  # one JSON line each
        FENGQIAO_SMS_FILE=str(outbox),
        PORTAL_TEST_MEDIA=str(tmp_path_factory.mktemp("media")),
    )
    log = tmp_path_factory.mktemp("server") / "runserver.log"
    with running_server(env, log, bootstrap=BOOTSTRAP) as base:
        yield {"base": base, "outbox": str(outbox)}


def _messages(outbox: str) -> list[dict[str, str]]:
    return sms_messages(outbox)


def _new_code(page, outbox: str) -> str:
    before = len(sms_messages(outbox, PHONE))
    page.click("#send-code")
    page.wait_for_selector("#code-status:has-text('验证码已发送')")
    return sms_code(outbox, PHONE, before)


def test_apply_online_then_follow_the_case(server, browser, tmp_path):
    base, outbox = server["base"], server["outbox"]
    phone_screen = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}
    context = browser.new_context(**phone_screen)
    page = context.new_page()
    page.goto(f"{base}/portal/")
    page.wait_for_selector("h1:has-text('在线申请调解')")
    township = page.eval_on_selector("#township option:nth-child(2)", "o => o.value")
    page.select_option("#township", township)
    page.wait_for_selector("#village option:nth-child(2)", state="attached")
    village = page.eval_on_selector("#village option:nth-child(2)", "o => o.value")
    page.select_option("#village", village)
    page.fill("#what_happened", "邻居在我家宅基地边上砌墙，占了我家半米地，多次协商不成。")
    page.fill("#request", "请求拆除围墙，恢复原状。")
    page.fill("#other_party_name", "王某")
    page.fill("#name", "赵某")
    page.fill("#phone", PHONE)
    # the notice in force is on the form, and no code is sent before it is agreed to
    assert page.is_visible("#privacy-notice:has-text('个人信息保护告知书')")
    page.click("#send-code")
    page.wait_for_selector("#code-status:has-text('勾选同意')")
    assert _messages(outbox) == []
    page.check("#consent_mediation")
    page.check("#consent_mediation_sensitive")  # the photo is sensitive personal information
    code = _new_code(page, outbox)
    page.fill("#code", code)
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    page.set_input_files("#files", str(photo))
    page.click("button[type=submit]:has-text('提交申请')")
    page.wait_for_selector("#tracking-code")
    tracking = page.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", tracking)
    assert any(tracking in m["text"] for m in _messages(outbox))  # sent by SMS too

    page.click("text=查看办理进度")
    page.wait_for_selector("#status:has-text('已收到')")
    assert "申请已登记" in page.content()
    assert "已收到 1 份证据材料" in page.content()
    context.close()

    # another phone: the tracking code and the phone number, verified by a new code
    other = browser.new_context(**phone_screen)
    page = other.new_page()
    page.goto(f"{base}/portal/track/")
    page.fill("#tracking_code", tracking.lower())
    page.fill("#phone", PHONE)
    page.fill("#code", "000000" if code != "000000" else "111111")
    page.click("button[type=submit]:has-text('查看进度')")
    page.wait_for_selector("text=请先获取验证码")
    page.fill("#tracking_code", tracking)
    page.fill("#phone", PHONE)
    page.fill("#code", _new_code(page, outbox))
    page.click("button[type=submit]:has-text('查看进度')")
    page.wait_for_selector("#status:has-text('已收到')")
    assert tracking in page.content()

    # the citizen's consents, after a code of their own, and one withdrawn
    page.click("text=我的个人信息与同意")
    page.wait_for_selector("h1:has-text('我的个人信息与同意')")
    page.fill("#phone", PHONE)
    page.fill("#code", _new_code(page, outbox))
    page.click("button[type=submit]:has-text('查看我的同意')")
    page.wait_for_selector("#withdrawal-effects:has-text('第十五条')")
    assert page.locator("ul.consents li").count() == 2
    page.locator("li:has-text('办理我的网上调解申请') button:has-text('撤回同意')").click()
    page.wait_for_selector("#withdrawn:has-text('撤回同意')")
    assert "已于" in page.inner_text("li:has-text('办理我的网上调解申请') .state")
    other.close()
