"""Daily jobs walked as the people who do them, on a 390 px phone, from sign-in to done (issue
#21). Each walk fails on any 4xx/5xx response, any console error, any English word on the Chinese
pages, and any horizontal overflow.

Walked so far: the village mediator (小事不出村: registers, accepts, hands to himself, starts
mediation on his committee's own case), the county leader and the 包案 leader reading their day.
"""

import re

import pytest
from django.utils import timezone

from tests.browser.harness import confirm as _confirm
from tests.browser.harness import login as _login

pytestmark = pytest.mark.browser

# Words that are legitimately Latin on a Chinese page: file formats, units, the case-number
# prefixes, the date pattern shown as a hint.
ALLOWED = {"PDF", "JPEG", "PNG", "WebP", "HEIC", "Word", "xlsx", "docx", "TW", "ZZ", "PCS", "YYYY"}
# htmx logs a request it dropped because a newer one for the same element superseded it (a
# panel's own load overtaken by the case-changed reload); nothing failed, nothing is shown.
SUPERSEDED = ("htmx:sendAbort", "htmx:afterRequest")


class Walk:
    """A phone-sized page that records what a walk must never meet."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        self.problems: list[str] = []
        self.page.on(
            "response",
            lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console: {m.text}")
                if m.type == "error" and not m.text.startswith(SUPERSEDED)
                else None
            ),
        )

    def check(self, where: str) -> None:
        self.page.wait_for_load_state("networkidle")
        width, screen = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > screen:
            self.problems.append(f"{where}: {width} px wide on a {screen} px screen")
        text = self.page.inner_text("body")
        english = sorted(
            {w for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", text) if w not in ALLOWED}
        )
        if english:
            self.problems.append(f"{where}: English on the page: {english[:10]}")


def test_the_village_mediator_handles_his_committee_s_own_case(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    _login(page, walk.base, "tiaojie")
    walk.check("to-do")

    page.goto(f"{walk.base}/intake/new/")
    walk.check("register")
    page.fill("#id_title", "青湖村两户排水沟纠纷")
    page.fill("#id_description", "村民甲硬化门前场地堵塞排水沟，雨后积水流进村民乙家院子。")
    page.select_option("#id_category", "neighbour")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "甲某")
    page.fill("#id_parties-1-name", "乙某")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    walk.check("case registered")

    # 小事不出村: the committee accepts, hands the case to its own mediator, mediates
    page.click("details:has(form[data-action=accept]) summary")
    _confirm(page, "accept", "已受理")
    page.click("details:has(form[data-action=assign]) summary")
    page.select_option("form[data-action=assign] select[name=org_id]", server["village_org"])
    page.select_option("form[data-action=assign] select[name=assignee_id]", server["mediator"])
    page.fill(
        "form[data-action=assign] input[name=due_date]",
        str(timezone.localdate() + timezone.timedelta(days=15)),
    )
    _confirm(page, "assign", "已交办")
    page.click("details:has(form[data-action=start_mediation]) summary")
    _confirm(page, "start_mediation", "调解中")
    walk.check("mediation started")
    assert "您无权" not in page.inner_text("#actions")
    page.close()
    assert walk.problems == [], "\n".join(walk.problems)


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        # the county leader reads the figures and the 无讼 creation, and opens nothing he may not
        ("lingdao", ["/", "/kpi/", "/kpi/wusong/", "/cases/"]),
        # the 包案 leader: his to-do (the cases he leads), the supervision board, his messages
        ("baoan", ["/", "/supervision/board/", "/supervision/inbox/", "/cases/"]),
    ],
)
def test_a_leader_s_reading_day(server, browser, username, pages):
    walk = Walk(browser, server["base"])
    _login(walk.page, walk.base, username)
    for path in pages:
        walk.page.goto(f"{walk.base}{path}")
        walk.check(path)
        for link in walk.page.eval_on_selector_all(
            "main a[href^='/kpi/wusong/']", "els => els.map(e => e.getAttribute('href'))"
        ):
            walk.page.goto(f"{walk.base}{link}")  # every evaluation link shown opens
            walk.check(link)
            break
    walk.page.close()
    assert walk.problems == [], "\n".join(walk.problems)
