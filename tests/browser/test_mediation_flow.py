"""A township clerk registers a dispute in the browser, accepts and assigns it; the village
mediator starts the mediation (the agreement itself is the mediation panel's test).
Real server process, real Chromium (Debian's), real database (tests/browser/harness.py).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.harness import ARTIFACTS
from tests.browser.harness import act as _act
from tests.browser.harness import confirm as _confirm
from tests.browser.harness import login as _login

pytestmark = [pytest.mark.browser]


def test_register_accept_assign_mediate_to_agreement(server, browser):
    base = server["base"]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    refused = []  # the Content-Security-Policy must not block anything the pages use
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    _login(page, base, "zhuren")
    page.click("text=登记纠纷")
    page.click("#add-party")  # static/js/register.js, no inline script
    page.wait_for_selector("#id_parties-2-name")
    page.fill("#id_title", "青湖村宅基地边界纠纷")
    page.fill("#id_description", "村民甲与村民乙因宅基地边界发生争执，双方多次口角。")
    page.select_option("#id_category", "housing_homestead")
    # the subcategory list follows the category (htmx): only 房屋宅基地纠纷's own
    page.wait_for_selector(
        "#id_subcategory option[value='housing_homestead.homestead_boundary']", state="attached"
    )
    assert "labour.wage_arrears" not in page.inner_html("#id_subcategory")
    page.select_option("#id_subcategory", "housing_homestead.homestead_boundary")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "甲某")
    page.fill("#id_parties-0-id_number", "430624199001011233")
    page.fill("#id_parties-0-phone", "13800138000")
    page.fill("#id_parties-1-name", "乙某")
    page.fill("#id_parties-2-name", "丙某")  # the row register.js added
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    assert "4306**********1233" in page.content()

    _act(page, "accept")
    _confirm(page, "accept", "已受理")
    _act(page, "assign")
    page.select_option("form[data-action=assign] select[name=org_id]", server["village_org"])
    page.select_option("form[data-action=assign] select[name=assignee_id]", server["mediator"])
    page.fill(
        "form[data-action=assign] input[name=due_date]",
        str(timezone.localdate() + timedelta(days=15)),
    )
    _confirm(page, "assign", "已交办")
    case_url = page.url
    page.click("button:has-text('退出')")

    _login(page, base, "tiaojie")
    assert "青湖村宅基地边界纠纷" in page.content()  # in the mediator's to-do list
    page.goto(case_url)
    _act(page, "start_mediation")
    _confirm(page, "start_mediation", "调解中")
    # 人民调解法 art.29: the agreement is recorded from the mediation panel once it is in force
    # (tests/browser/test_mediation_panel.py); until then the action says why it is not offered
    assert "尚无生效的调解协议" in page.inner_text("#actions")

    page.wait_for_selector("#timeline li:nth-child(4)")  # the timeline refreshed itself
    timeline = page.inner_text("#timeline")
    for step in ("登记", "受理", "交办", "开始调解"):
        assert step in timeline
    assert "宅基地界址纠纷" in page.inner_text("#case-header")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mediation-started.png"), full_page=True)

    # the list filters in place (htmx); a bad value comes back as a field error, not a blank
    page.click("text=案件列表")
    page.fill("input[name=q]", "宅基地边界")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/cases/?*q=*")  # the filtered list came back (and pushed its URL)
    assert "青湖村宅基地边界纠纷" in page.inner_text("#case-table")
    page.fill("input[name=created_from]", "2026-13-45")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("label.invalid .error")
    page.screenshot(path=str(ARTIFACTS / "list-filter-error.png"), full_page=True)

    # a grid worker's phone: one column, nothing wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/intake/new/")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    page.screenshot(path=str(ARTIFACTS / "register-phone.png"), full_page=True)
    page.goto(case_url)
    page.screenshot(path=str(ARTIFACTS / "case-phone.png"), full_page=True)
    page.close()
    assert not refused, refused
