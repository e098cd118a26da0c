"""A citizen on a phone-sized screen, without an account, goes through the 邻里 self-help guide
of the demo twice: once to a 协商 agreement the neighbours settle with themselves (counted as
源头化解), once to the mediation application already filled in with the answers. Real server
process (the shared harness of ``test_mediation_flow``), Debian's Chromium."""

from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

PHONE_SCREEN = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}


def _open_neighbour_guide(page, base: str) -> None:
    page.goto(f"{base}/portal/")
    page.click("text=先试试自助解纷")
    page.wait_for_selector("h1:has-text('自助解纷')")
    page.click("button:has-text('邻里纠纷自助指引')")
    page.wait_for_selector("#question h2:has-text('您和邻居因为什么事情发生矛盾')")


def test_a_citizen_settles_it_with_the_neighbour_through_self_help(server, browser):
    context = browser.new_context(**PHONE_SCREEN)
    page = context.new_page()
    _open_neighbour_guide(page, server["base"])
    page.click("button.option:has-text('漏水、渗水')")
    page.wait_for_selector("#question h2:has-text('当面好好谈过吗')")
    page.click("button.option:has-text('还没有谈过')")
    page.wait_for_selector("#outcome[data-kind=agreement]")
    assert "协商和解协议" in page.input_value("#template")
    assert page.locator("#answers li").all_inner_texts() == ["漏水、渗水", "还没有谈过"]
    page.click("#outcome a:has-text('相邻关系的处理原则')")
    page.wait_for_selector("text=团结互助、公平合理的原则")
    page.go_back()
    page.click("#settled")
    page.wait_for_selector("#settled-title:has-text('纠纷已化解')")
    context.close()


def test_a_citizen_goes_on_to_a_prefilled_application(server, browser):
    context = browser.new_context(**PHONE_SCREEN)
    page = context.new_page()
    _open_neighbour_guide(page, server["base"])
    page.click("button.option:has-text('排水、通行被挡')")
    page.click("button.option:has-text('谈过，对方不理或吵起来了')")
    page.wait_for_selector("#outcome[data-kind=apply]")
    page.click("#to-application")
    page.wait_for_selector("h1:has-text('在线申请调解')")
    assert page.input_value("#what_happened") == (
        "邻里纠纷：邻居堵住了排水或通行的路；协商过但对方拒绝，双方争执不下。"
    )
    assert (
        page.input_value("#request") == "请调解员主持双方协商，由对方停止侵害、排除妨碍并赔偿损失"
    )
    context.close()
