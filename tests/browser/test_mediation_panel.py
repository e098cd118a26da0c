"""A whole mediation through the mediation panel, in a real Chromium against a real server: the
director registers, accepts and assigns a dispute; the village mediator notifies rights, records a
session, drafts a complete art.29 agreement, collects every signature and the seal, puts it in
force (the case becomes 调解成功 through the workflow), and records the first 回访."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.harness import ARTIFACTS
from tests.browser.harness import act as _act
from tests.browser.harness import confirm as _confirm
from tests.browser.harness import login as _login

pytestmark = [pytest.mark.browser]


def _open(page, step: str) -> None:
    page.click(f"#panel-mediation details[data-step={step}] summary")


def _is_panel(response) -> bool:
    """The mediation panel's own reload: every case panel (documents, supervision, esign…)
    reloads on ``case-changed``, and waiting for just any of them let the mediation panel's
    later swap close the form the test had opened (issue #12: "the sign step's role select is
    never visible")."""
    return (
        "/mediation/cases/" in response.url
        and "/panel/" in response.url
        and (response.request.method == "GET")
    )


def _save(page, step: str) -> None:
    """Submit one panel form and wait until the panel has reloaded itself (``case-changed``)."""
    with page.expect_response(_is_panel) as reload:
        with page.expect_response(
            lambda r: f"/{step}/" in r.url and r.request.method == "POST"
        ) as info:
            page.click(f"#panel-mediation form[data-step={step}] button[type=submit]")
        response = info.value
        if response.status != 200:
            raise AssertionError(f"{step}: {response.status} {response.text()[:3000]}")
    reload.value.finished()
    page.wait_for_timeout(100)  # the swap after the response


def _save_invalid(page, step: str) -> None:
    """Submit a form the server refuses (422): the panel comes back with the errors."""
    with page.expect_response(lambda r: f"/{step}/" in r.url) as info:
        page.click(f"#panel-mediation form[data-step={step}] button[type=submit]")
    assert info.value.status == 422
    page.wait_for_timeout(100)


def test_mediation_from_assignment_to_follow_up_through_the_panel(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # a phone
    try:
        _mediate(page, server)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "mediation-panel-failure.html").write_text(page.content())
        page.screenshot(path=str(ARTIFACTS / "mediation-panel-failure.png"), full_page=True)
        raise
    finally:
        page.close()


PARTICULARS = (
    {
        "ethnicity": "汉族",
        "occupation": "农民",
        "address": "湖南省湘阴县静河镇青湖村三组8号",
        "id_number": "430624198003021238",
        "phone": "13800138000",
    },
    {
        "ethnicity": "苗族",
        "occupation": "个体工商户",
        "address": "湖南省湘阴县静河镇青湖村五组2号",
        "id_type": "resident_id",
        "id_number": "430624198507152223",
        "phone": "0730-5551234",
    },
)


def _mediate(page, server) -> None:
    base = server["base"]
    _login(page, base, "zhuren")
    page.click("button.menu-toggle")  # on a phone the menu is folded behind its button
    page.click("text=登记纠纷")
    page.fill("#id_title", "青湖村借款纠纷（调解面板）")
    page.fill("#id_description", "甲某借给乙某三万元，到期未还，双方发生争执。")
    page.select_option("#id_category", "contract")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "甲某")
    page.fill("#id_parties-1-name", "乙某")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
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
    page.goto(case_url)
    _act(page, "start_mediation")
    _confirm(page, "start_mediation", "调解中")
    page.wait_for_selector("#panel-mediation details[data-step=session]")

    # 人民调解法 art.29: the mediator records each party's particulars once mediation starts
    for index, values in enumerate(PARTICULARS):
        form = page.locator("form[id^=particulars-]").nth(index)
        form.locator("xpath=..").locator("summary").click()
        for name, value in values.items():
            field = form.locator(f"[name$='-{name}']")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        with page.expect_response(lambda r: "/particulars/" in r.url) as saved:
            form.locator("button[type=submit]").click()
        assert saved.value.status == 200, saved.value.text()[:2000]
        page.wait_for_selector("#parties-card:has-text('当事人基本情况已保存')")
    assert page.locator("#parties-card span.ok:has-text('已齐全')").count() == 2

    # the workflow refuses "agreement reached" while no agreement is in force
    assert "尚无生效的调解协议" in page.inner_text("#actions")

    for name in ("甲某", "乙某"):
        _open(page, "rights")
        page.select_option("#panel-mediation form[data-step=rights] select", label=name)
        page.check("#panel-mediation form[data-step=rights] input[name=acknowledged]")
        _save(page, "rights")
        page.wait_for_selector(
            f"#mediation-preparation li:has-text('{name}'):has-text('已确认知悉')"
        )

    _open(page, "session")
    page.fill("#panel-mediation form[data-step=session] input[name=held_at]", "2026-01-05T09:30")
    page.fill("#panel-mediation form[data-step=session] input[name=place]", "青湖村调解室")
    # a session is presided over by a mediator (issue #14)
    page.check("#panel-mediation form[data-step=session] input[name=mediator_ids] >> nth=0")
    page.fill(
        "#panel-mediation form[data-step=session] textarea[name=record_text]",
        "双方陈述借款经过，乙某承认借款三万元，愿分期归还。",
    )
    _save(page, "session")
    page.wait_for_selector("#mediation-sessions article:has-text('青湖村调解室')")

    # an incomplete draft: the art.29 checklist names what is missing, in Chinese
    _open(page, "agreement")
    page.fill(
        "#panel-mediation form[data-step=agreement] textarea[name=facts]", "乙某借款三万元未还"
    )
    page.fill(
        "#panel-mediation form[data-step=agreement] input[name=t1_content]", "乙某归还借款三万元"
    )
    _save(page, "agreement")
    page.wait_for_selector("#art29-checklist li.missing:has-text('争议事项')")
    # the parties' particulars were recorded above: art.29 reads those, no text need repeat them
    page.wait_for_selector("#art29-checklist li.ok:has-text('当事人基本情况')")

    _open(page, "agreement")
    form = "#panel-mediation form[data-step=agreement]"
    page.fill(f"{form} textarea[name=parties_particulars]", "甲某，青湖村村民；乙某，青湖村村民")
    page.fill(f"{form} textarea[name=facts]", "乙某向甲某借款三万元，到期未还")
    page.fill(f"{form} textarea[name=issues]", "还款金额与期限")
    page.fill(f"{form} textarea[name=responsibilities]", "乙某应按约还款")
    page.fill(f"{form} input[name=t1_content]", "乙某归还甲某借款三万元")
    page.fill(f"{form} input[name=t1_obligor]", "乙某")
    page.fill(f"{form} input[name=t1_manner]", "银行转账")
    page.fill(f"{form} input[name=t1_place]", "青湖村村委会")
    page.fill(f"{form} input[name=t1_due_on]", str(timezone.localdate() + timedelta(days=60)))
    _save(page, "agreement")
    page.wait_for_selector("#art29-checklist li.missing:has-text('尚未签名')")

    sign = "#panel-mediation form[data-step=sign]"
    for name in ("甲某", "乙某"):
        _open(page, "sign")
        page.select_option(f"{sign} select[name=role]", "party")
        page.select_option(f"{sign} select[name=party_id]", label=name)
        _save(page, "sign")
        page.wait_for_selector(f"table.signatures tr:has-text('{name}'):has-text('已签名')")
    _open(page, "sign")
    page.select_option(f"{sign} select[name=role]", "mediator")
    page.fill(f"{sign} input[name=signer_name]", "王建国")
    _save(page, "sign")
    page.wait_for_selector("table.signatures tr:has-text('调解员'):has-text('已签名')")
    _open(page, "sign")
    page.select_option(f"{sign} select[name=role]", "seal")
    _save(page, "sign")
    page.wait_for_selector("table.signatures tr:has-text('已盖章')")

    _open(page, "effective")
    _save(page, "effective")
    page.wait_for_selector("#case-status:has-text('调解成功')")
    page.wait_for_selector("#mediation-confirmation")
    assert "共同申请司法确认" in page.inner_text("#mediation-confirmation")

    # the first 回访 (15 days after the agreement) is scheduled; record it
    visit = "#mediation-follow-ups li:first-child"
    page.wait_for_selector(f"{visit}:has-text('待回访')")
    page.click(f"{visit} details summary")
    page.fill(f"{visit} input[name=method]", "电话")
    page.fill(f"{visit} textarea[name=outcome]", "双方对协议无异议，乙某已准备第一笔款项")
    page.select_option(f"{visit} select[name=satisfaction]", "satisfied")
    page.click(f"{visit} button[type=submit]")
    page.wait_for_selector("#mediation-follow-ups li:has-text('满意')")

    page.wait_for_selector("#timeline li:has-text('回访')")
    timeline = page.inner_text("#timeline")
    for step in ("权利义务", "协议", "回访"):
        assert step in timeline
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]  # nothing wider than the phone
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mediation-panel-phone.png"), full_page=True)
