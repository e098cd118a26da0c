"""The township director records a half-monthly dispatch meeting (半月调度会) with a case on its
agenda, adds a decision as a task for the village mediator (htmx: the task list swaps in place,
an overdue task is marked) and marks it done. Real server process, real Chromium (Debian's), real
database, the same harness as test_mediation_flow.py.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.harness import CHROMIUM, ROOT, environment, facts, running_server

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


FACTS = """
import json
from fengqiao.accounts.models import User
from fengqiao.cases.models import Case
from fengqiao.regions.models import Region
township = Region.objects.get(code="430624122000")
mediator = User.objects.get(username="tiaojie")
case = Case.objects.filter(region__prefix__startswith=township.prefix).order_by("pk").first()
facts = {
    "township": township.code,
    "mediator": mediator.pk,
    "case_number": case.number if case else "",
}
print(json.dumps({key: str(value) for key, value in facts.items()}))
"""


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory) -> Iterator[dict[str, str]]:
    # The demo's logins are made on its replayed clock, so their passwords read as older than
    # the expiry age; password expiry has its own tests (accounts), not this one's.
    env = environment(database_url, FENGQIAO_PASSWORD_MAX_AGE_DAYS="0")
    known = facts(env, FACTS)
    with running_server(env, tmp_path_factory.mktemp("server") / "runserver.log") as base:
        yield {"base": base, **known}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-Fengqiao-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("main h1:has-text('我的待办')")  # the menu may be folded (phone)


def test_record_a_meeting_add_a_task_and_complete_it(server, browser):
    base = server["base"]
    today = timezone.localdate()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    _login(page, base, "zhuren")
    page.goto(f"{base}/patrols/")
    page.click("main .subnav a[href='/patrols/meetings/']")
    page.click("a:has-text('记录会议')")
    page.wait_for_selector("form#meeting-new")

    # a mistake first: the page answers in Chinese next to the field and keeps what was typed
    page.select_option("#id_region", server["township"])
    page.select_option("#id_cadence", "half_month")
    page.fill("#id_held_on", str(today))
    page.fill("#id_attendees", "镇综治中心、司法所、派出所、各村调委会主任")
    page.click("form#meeting-new button[type=submit]")
    page.wait_for_selector("label.invalid:has(#id_title) .error")
    assert "请填写标题。" in page.inner_text("label:has(#id_title)")
    assert page.input_value("#id_attendees") == "镇综治中心、司法所、派出所、各村调委会主任"

    page.fill("#id_title", "静河镇半月矛盾纠纷调度会")
    page.fill("#id_minutes", "通报近期排查情况，研判重点矛盾纠纷。")
    if server["case_number"]:
        page.fill("#id_case_numbers", server["case_number"])
    page.click("form#meeting-new button[type=submit]")
    page.wait_for_selector("h1:has-text('静河镇半月矛盾纠纷调度会')")
    assert "半月调度会" in page.content()
    if server["case_number"]:
        assert server["case_number"] in page.inner_text("#meeting-agenda")
    meeting_url = page.url

    # a decision becomes a task (htmx swaps the task list); yesterday's deadline shows as overdue
    page.fill("#id_decision", "督促施工单位三日内结清务工人员工资")
    page.select_option("#id_owner_id", server["mediator"])
    page.fill("#id_due_on", str(today - timedelta(days=1)))
    page.click("form#task-add button[type=submit]")
    row = page.wait_for_selector("#tasks tr.overdue:has-text('督促施工单位')")
    assert row is not None
    assert "已超期" in row.inner_text()
    assert page.url == meeting_url  # swapped in place, no reload
    assert page.input_value("#id_decision") == ""  # a fresh form for the next decision
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "meeting-task-overdue-phone.png"), full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]  # nothing wider than a phone screen

    row.query_selector("button:has-text('标记完成')").click()
    page.wait_for_selector("#tasks tr:has-text('督促施工单位'):has-text('已办结')")
    done = page.inner_text("#tasks tr:has-text('督促施工单位')")
    assert "已超期" not in done
    assert "标记完成" not in done

    # the list of meetings shows it, and the page survives a reload
    page.goto(f"{base}/patrols/meetings/")
    assert "静河镇半月矛盾纠纷调度会" in page.inner_text("main")
    page.goto(meeting_url)
    assert "已办结" in page.inner_text("#tasks")
    page.screenshot(path=str(ARTIFACTS / "meeting-task-done-phone.png"), full_page=True)
    page.close()
