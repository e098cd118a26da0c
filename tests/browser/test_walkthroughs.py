"""Daily jobs walked as the people who do them, on a 390 px phone, from sign-in to done (issue
#21). Each walk fails on any 4xx/5xx response, any console error, any English word on the Chinese
pages, and any horizontal overflow.

One walk per role: the grid worker reports from the field and finds the report in his list; the
village mediator handles his committee's own case (小事不出村); the township clerk registers,
checks duplicates and 交办s with a deadline and a 包案 leader, who then finds the case among those
he leads; the township director reviews the overdue cases and issues a 督办; the court liaison
registers a court's pre-litigation delegation and reads its result; the petition liaison
registers a 信访 case; the county leader reads the dashboard and drills into a figure; the
citizen applies on the portal with an SMS code, follows the case and rates its outcome.

Work that belongs to another office between two steps of a walk (the committee mediating the
court's or the citizen's case) is done through the services (``_backstage``), so each walk stays
its own role's day.
"""

import json
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone

from tests.browser.harness import (
    READ_BESIDES_THE_BODY,
    READ_THE_BODY,
    confirm,
    english_words,
    environment,
    facts,
    login,
    manage,
    running_server,
    sms_code,
    sms_messages,
)

pytestmark = pytest.mark.browser

DEMO_CASES = 30  # overdue cases for the director, concluded court cases, a to-do for everyone
PHONE = "13812345670"

# htmx logs a request it dropped because a newer one for the same element superseded it (a
# panel's own load overtaken by the case-changed reload); nothing failed, nothing is shown.
SUPERSEDED = ("htmx:sendAbort", "htmx:afterRequest")
FACTS = """
import json
from fengqiao.accounts.models import User
from fengqiao.orgs.models import Organisation
village = Organisation.objects.get(code__endswith="TW", region__name="青湖村")
township = Organisation.objects.get(code="430624122TJ")
facts = {
    "village_org": village.pk,
    "village": village.region.code,
    "mediator": User.objects.get(username="tiaojie").pk,
    "township_org": township.pk,
    "township_mediator": User.objects.get(username="zhentiaojie").pk,
    "lead": User.objects.get(username="baoan").pk,
}
# an overdue open case of 静河镇 for the director, a recent one for the clerk to meet again
from fengqiao.cases.choices import OPEN_STATUSES, CaseStatus
from fengqiao.cases.models import Case
late = (
    Case.objects.filter(
        overdue_since__isnull=False,
        handling_org__code__startswith="430624122",
        status__in=[CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING],
    )
    .order_by("due_date")
    .first()
)
recent = next(
    case
    for case in Case.objects.filter(
        handling_org__code__startswith="430624122", status__in=OPEN_STATUSES
    )
    .exclude(region__name="青湖村")
    .order_by("-created_at")
    if case.parties.count() >= 2
)
names = [p.name for p in recent.parties.order_by("pk")]
facts.update(
    recent=recent.number, recent_region=recent.region.code, recent_category=recent.category.code,
    recent_applicant=names[0], recent_respondent=names[1], recent_description=recent.description,
)
facts["late"] = late.number
print(json.dumps({key: str(value) for key, value in facts.items()}))
"""

# The committee handling the case mediates it (the township centre first hands it down to 青湖村
# when it came in there), the mediation fails and the case is closed; each step is done by the
# first demo account whose rights allow it, as the office's own people would.
BACKSTAGE = """
import datetime
from django.utils import timezone
from fengqiao.accounts.models import User
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import TransitionBlocked
from fengqiao.orgs.models import Organisation
case = Case.objects.get(number=NUMBER)
staff = User.objects.filter(
    username__in=["tiaojie", "zhentiaojie", "zhuantiao", "shouli", "zhuren", "xianzhongxin"]
).order_by("pk")
members = User.objects.filter(
    memberships__org=case.handling_org, memberships__role="mediator", memberships__is_active=True
).order_by("username")
if members.exists():
    org, mediator = case.handling_org, members.first()
else:
    org = Organisation.objects.get(code__endswith="TW", region__name="青湖村")
    mediator = User.objects.get(username="tiaojie")
due = timezone.localdate() + datetime.timedelta(days=15)
for name, action in [
    ("accept", ActionInput(note="符合受理条件")),
    ("assign", ActionInput(org_id=org.pk, assignee_id=mediator.pk, due_date=due)),
    ("start_mediation", ActionInput()),
    ("terminate", ActionInput(termination_reason=REASON, note="被申请人明确拒绝调解")),
    ("close", ActionInput(note="已告知当事人可依法起诉")),
]:
    refusals = []
    for actor in staff:
        try:
            case_transition(actor=actor, case_id=case.pk, name=name, action=action)
            break
        except TransitionBlocked as refused:
            refusals.append(f"{actor.username}: {refused}")
    else:
        raise AssertionError(f"no one may {name} at {case.handling_org}: {refusals}")
    case.refresh_from_db()
"""


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory) -> Iterator[dict[str, str]]:
    """The demo with its SMS written to a file the citizen's walk reads its codes from."""
    outbox = tmp_path_factory.mktemp("sms") / "outbox.jsonl"
    env = environment(
        database_url,
        FENGQIAO_SMS_BACKEND="fengqiao.notifications.sms.FileBackend",
        FENGQIAO_SMS_FILE=str(outbox),
        FENGQIAO_PORTAL_CODES_PER_PHONE_MINUTE="10",  # the citizen asks twice within a minute
    )
    known = facts(env, FACTS)
    with running_server(env, tmp_path_factory.mktemp("server") / "runserver.log") as base:
        yield {"base": base, "outbox": str(outbox), "env": json.dumps(env), **known}


def _backstage(server, number: str) -> None:
    from fengqiao.cases.choices import TerminationReason

    reason = next(iter(TerminationReason)).value
    script = f"NUMBER = {number!r}\nREASON = {reason!r}\n{BACKSTAGE}"
    manage(json.loads(server["env"]), "shell", "-c", script)


class Walk:
    """A phone-sized page that records what a walk must never meet."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        self.context.set_default_timeout(20000)  # a step that never comes fails, it does not hang
        self.page = self.context.new_page()
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
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))

    def check(self, where: str) -> None:
        """The page as the person finally sees it: no overflow, no English word."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")
        width, screen = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if width > screen:
            self.problems.append(f"{where}: {width} px wide on a {screen} px screen")
        english = english_words(
            self.page.evaluate(READ_THE_BODY) + "\n" + self.page.evaluate(READ_BESIDES_THE_BODY)
        )
        if english:
            self.problems.append(f"{where}: English on the page: {english[:10]}")

    def menu(self, label: str) -> None:
        """Follow a link of the main menu, unfolding it first as a phone shows it folded."""
        toggle = self.page.locator("button.menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        self.page.click(f"nav#site-nav a:text-is('{label}')")
        self.page.wait_for_load_state("networkidle")

    def done(self) -> None:
        self.context.close()
        assert self.problems == [], "\n".join(self.problems)


def test_the_english_checker_tells_words_from_codes():
    text = "430624122ZZ-2026-00015 · GR-hrK7afjX · 跟踪码 7KQ2M9XH4P · PDF · 10 MB · Status: Done"
    assert english_words(text) == ["Done", "Status"]
    assert english_words("第 3 页，共 12 页 · 13812345678 · 2026-12-07") == []


def _new_code(page, outbox: str) -> str:
    before = len(sms_messages(outbox, PHONE))
    page.click("#send-code")
    page.wait_for_selector("#code-status:has-text('验证码已发送')")
    return sms_code(outbox, PHONE, before)


def _in_days(days: int) -> str:
    return str(timezone.localdate() + timezone.timedelta(days=days))


def test_the_english_checker_skips_the_codes_a_page_marks_untranslatable(browser):
    """A tracking code is letters only one time in twenty (KFYKHYECGE): it is a code, not a word."""
    walk = Walk(browser, "about:blank")
    walk.page.set_content(
        '<p>跟踪码 <strong translate="no">KFYKHYECGE</strong></p><p>Done</p><p translate="no">X</p>'
    )
    walk.check("a set page")
    walk.context.close()
    assert walk.problems == ["a set page: English on the page: ['Done']"]


def test_the_grid_worker_reports_from_the_field_and_finds_it_in_his_list(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "wangge")
    walk.check("to-do")
    walk.menu("网格上报")
    walk.check("grid report")
    page.fill("#description", "村道边两户因堆放柴草占道发生争吵，双方情绪激动，需村里出面调解。")
    page.fill("#applicant_name", "周某")
    page.fill("#applicant_phone", "13912340001")
    page.fill("#respondent_name", "吴某")
    page.click(".grid-report form button[type=submit]")
    page.wait_for_selector("#case-status:has-text('已登记')")
    walk.check("the report's case")
    number = re.search(r"430624\w+-\d{4}-\d{5}", page.inner_text("main")).group(0)

    walk.menu("我的待办")
    walk.check("to-do after the report")
    assert number in page.inner_text("main"), "the report is not in the grid worker's to-do"
    walk.menu("案件列表")
    walk.check("case list")
    assert number in page.inner_text("main"), "the report is not in the grid worker's case list"
    walk.done()


def test_the_village_mediator_handles_his_committee_s_own_case(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "tiaojie")
    walk.check("to-do")

    walk.menu("登记纠纷")
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
    confirm(page, "accept", "已受理")
    page.click("details:has(form[data-action=assign]) summary")
    page.select_option("form[data-action=assign] select[name=org_id]", server["village_org"])
    page.select_option("form[data-action=assign] select[name=assignee_id]", server["mediator"])
    page.fill("form[data-action=assign] input[name=due_date]", _in_days(15))
    confirm(page, "assign", "已交办")
    page.click("details:has(form[data-action=start_mediation]) summary")
    confirm(page, "start_mediation", "调解中")
    walk.check("mediation started")
    assert "您无权" not in page.inner_text("#actions")
    walk.done()


def test_the_clerk_registers_checks_duplicates_and_hands_over_and_the_lead_finds_it(
    server, browser
):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "shouli")
    walk.check("to-do")
    walk.menu("登记纠纷")
    walk.check("register")
    # the same quarrel as a case registered lately, come in again at the window
    page.select_option("#id_channel", "walk_in")
    page.fill("#id_title", f"{server['recent_applicant']}与{server['recent_respondent']}再次来访")
    page.fill("#id_description", server["recent_description"])
    page.select_option("#id_category", server["recent_category"])
    page.select_option("#id_region", server["recent_region"])
    page.fill("#id_parties-0-name", server["recent_applicant"])
    page.fill("#id_parties-1-name", server["recent_respondent"])
    page.press("#id_parties-1-name", "Tab")
    page.wait_for_selector("#duplicates-draft .warning")  # the clerk is warned before saving
    walk.check("register with a possible duplicate")
    assert server["recent"] in page.inner_text("#duplicates-draft")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    walk.check("case registered")
    number = re.search(r"430624\w+-\d{4}-\d{5}", page.inner_text("main")).group(0)
    # the case page offers the same candidate; the clerk links the two records of one dispute
    row = page.locator(f"#panel-duplicates table.duplicates tr[data-case='{server['recent']}']")
    row.locator("button").first.click()
    page.wait_for_selector(f"#panel-duplicates table.linked tr[data-case='{server['recent']}']")
    walk.check("duplicate linked")

    # 受理, then 交办 to the township committee with a deadline and a 包案 leader
    page.click("details:has(form[data-action=accept]) summary")
    confirm(page, "accept", "已受理")
    page.click("details:has(form[data-action=assign]) summary")
    form = "form[data-action=assign]"
    page.select_option(f"{form} select[name=org_id]", server["township_org"])
    page.select_option(f"{form} select[name=assignee_id]", server["township_mediator"])
    page.select_option(f"{form} select[name=lead_id]", server["lead"])
    due = _in_days(20)
    page.fill(f"{form} input[name=due_date]", due)
    confirm(page, "assign", "已交办")
    walk.check("case handed over")
    assert due in page.inner_text("#case-header"), "the deadline is not the one given"
    # the deadline is kept in the form for a second 交办, not lost (issue #21 item 5)
    page.click("details:has(form[data-action=assign]) summary")
    assert page.input_value(f"{form} input[name=due_date]") == due
    walk.done()

    # the 包案 leader finds it among the cases he leads
    lead = Walk(browser, server["base"])
    login(lead.page, lead.base, "baoan")
    lead.check("the lead's to-do")
    led = lead.page.locator("#queue-led")
    assert number in led.inner_text(), "the case is not in the list of cases the leader leads"
    led.locator(f"a:has-text('{number}')").first.click()
    lead.page.wait_for_selector("#case-status:has-text('已交办')")
    lead.check("the led case")
    assert "孙国平" in lead.page.inner_text("#case-header")
    lead.done()


def test_the_director_reviews_the_overdue_cases_and_issues_a_supervision_notice(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "zhuren")
    walk.check("to-do")
    walk.menu("督办看板")
    walk.check("supervision board")
    overdue = page.locator("#overdue-cases")
    overdue.locator(f"a:has-text('{server['late']}')").click()
    page.wait_for_selector("#case-header .tag:has-text('已超期')")
    walk.check("an overdue case")
    page.click("#panel-supervision details summary:has-text('督办')")
    page.fill(
        "#panel-supervision textarea[name=instructions]", "请于三日内说明超期原因并报送调解进展。"
    )
    page.click("#panel-supervision form button[type=submit]")
    page.wait_for_selector("#panel-supervision article.record:has-text('请于三日内说明超期原因')")
    walk.check("notice issued")
    walk.menu("督办看板")
    walk.check("supervision board after the notice")
    assert server["late"] in page.inner_text("#open-notices")
    walk.done()


def test_the_court_liaison_registers_a_delegation_and_reads_its_result(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "fayuan")
    walk.check("to-do")
    walk.menu("登记纠纷")
    walk.check("register")
    page.select_option("#id_channel", "court")
    page.fill("#id_title", "诉前委派：王某诉李某民间借贷纠纷")
    page.fill(
        "#id_description",
        "原告王某诉称被告李某借款三万元逾期未还，本院诉前委派青湖村人民调解委员会调解。",
    )
    page.select_option("#id_category", "contract")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "王某")
    page.fill("#id_parties-1-name", "李某")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    walk.check("delegation registered")
    number = re.search(r"430624\w+-\d{4}-\d{5}", page.inner_text("main")).group(0)
    case_url = page.url

    _backstage(server, number)  # the village committee mediates; it fails and is closed

    walk.menu("案件列表")
    page.select_option("#id_channel", "court")
    page.click("#case-list button[type=submit]:has-text('筛选')")
    page.wait_for_selector(f"#case-list a:has-text('{number}')")
    walk.check("the court's cases")
    page.click(f"#case-list a:has-text('{number}')")
    page.wait_for_url(case_url)
    page.wait_for_selector("#case-status:has-text('已结案')")
    walk.check("the delegation's result")
    assert "调解终止" in page.inner_text("main"), "the court does not read the result"
    walk.done()


def test_the_petition_liaison_registers_a_petition(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "xinfang")
    walk.check("to-do")
    walk.menu("登记纠纷")
    walk.check("register")
    page.select_option("#id_channel", "petition")
    page.fill("#id_title", "村民反映土地承包调整不公")
    page.fill(
        "#id_description",
        "信访人反映村组调整承包地时少分其家两亩，多次找村里未果，来县信访局上访。",
    )
    page.select_option("#id_category", "forest_land")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "郑某")
    page.fill("#id_parties-1-name", "青湖村三组")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    walk.check("petition registered")
    number = re.search(r"430624\w+-\d{4}-\d{5}", page.inner_text("main")).group(0)
    assert "信访" in page.inner_text("#case-header")
    walk.menu("案件列表")
    walk.check("case list")
    assert number in page.inner_text("main")
    walk.done()


def test_the_county_leader_reads_the_dashboard_and_drills_into_a_figure(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    login(page, walk.base, "lingdao")
    walk.check("to-do")
    walk.menu("统计考核")
    walk.check("dashboard")
    figures = page.locator("main td a[href*='/numerator/']")
    counted = [i for i in range(figures.count()) if figures.nth(i).inner_text().strip() not in "0—"]
    assert counted, "the dashboard shows no counted figure to drill into"
    figures.nth(counted[0]).click()
    page.wait_for_load_state("networkidle")
    walk.check("drill-down")
    page.locator("main a[href^='/cases/']").first.click()  # one of the cases counted
    page.wait_for_selector("#case-status")
    walk.check("a case of the figure")
    walk.menu("统计考核")
    page.click("main a:has-text('无讼')")
    walk.check("无讼 evaluation")
    for link in page.eval_on_selector_all(
        "main a[href^='/kpi/wusong/4']", "els => els.slice(0, 1).map(e => e.getAttribute('href'))"
    ):
        page.goto(f"{walk.base}{link}")  # an evaluation shown opens
        walk.check(link)
    walk.done()


def test_the_citizen_applies_follows_the_case_and_rates_it(server, browser):
    walk = Walk(browser, server["base"])
    page = walk.page
    outbox = server["outbox"]
    page.goto(f"{walk.base}/portal/")
    walk.check("portal")
    page.select_option("#township", "430624122000")
    page.wait_for_selector(f"#village option[value='{server['village']}']", state="attached")
    page.select_option("#village", server["village"])
    page.fill("#what_happened", "邻居在我家宅基地边上砌墙，占了我家半米地，多次协商不成。")
    page.fill("#request", "请求拆除围墙，恢复原状。")
    page.fill("#other_party_name", "王某")
    page.fill("#name", "赵某")
    page.fill("#phone", PHONE)
    page.check("#consent_mediation")
    page.fill("#code", _new_code(page, outbox))
    walk.check("application filled")
    page.click("button[type=submit]:has-text('提交申请')")
    page.wait_for_selector("#tracking-code")
    walk.check("application made")
    tracking = page.inner_text("#tracking-code").strip()
    page.click("text=查看办理进度")
    page.wait_for_selector("#status:has-text('已收到')")
    walk.check("progress")

    number = json.loads(
        manage(
            json.loads(server["env"]),
            "shell",
            "-c",
            "import json\nfrom fengqiao.portal.models import PortalApplication\n"
            f"print(json.dumps(PortalApplication.objects.get(tracking_code={tracking!r})"
            ".case.number))",
        )
        .strip()
        .splitlines()[-1]
    )
    _backstage(server, number)
    walk.context.clear_cookies()  # days later, on the same phone

    page.goto(f"{walk.base}/portal/track/")
    walk.check("track")
    page.fill("#tracking_code", tracking)
    page.fill("#phone", PHONE)
    page.fill("#code", _new_code(page, outbox))
    page.click("button[type=submit]:has-text('查看进度')")
    page.wait_for_selector("#status")
    walk.check("progress after the outcome")
    page.check("form:has([name=rating]) input[name=rating] >> nth=0")
    for box in page.locator("form:has([name=rating]) input[type=checkbox]").all():
        box.check()
    page.click("form:has([name=rating]) button[type=submit]")
    page.wait_for_selector("text=感谢您的评价")
    walk.check("rated")
    walk.done()
