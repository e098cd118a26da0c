"""Signing a written agreement on a 390 px phone in a real Chromium: the mediator opens the
signing page, a party types the ID number, gets the code on the registered phone, draws the
signature on the pad with the pointer; the other party and the mediator sign the same way; the
committee's key signs the PDF and the verification page says it is unchanged.

The server runs in a subprocess on its own database (as in ``test_mediation_flow``), with the
development SMS backend writing each message as a JSON line to a file the test reads. The case
is set up through the services by a shell script (registration, assignment and drafting are
other tests' subject).
"""

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import ARTIFACTS, CHROMIUM, environment, facts, running_server
from tests.browser.harness import login as _login

PARTIES = {
    "张三": ("430624199001011233", "13800138000"),
    "李四": ("430624198505052341", "13900139000"),
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from fengqiao.accounts.models import User
from fengqiao.cases.choices import AgreementForm, CaseStatus, Channel, PartyRole
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.intake.pipeline import register_dispute
from fengqiao.mediation import services as mediation
from fengqiao.orgs.models import Organisation

committee = Organisation.objects.get(code__endswith="TW", region__name="青湖村")
mediator = User.objects.get(username="tiaojie")
case = register_dispute(actor=mediator, draft=CaseDraft(
    org_id=committee.pk, title="青湖村借款纠纷（电子签名）",
    description="甲借给乙三万元，到期未还。",
    channel=Channel.WALK_IN, category="contract", region=committee.region.code,
    parties=(
        PartyDraft(role=PartyRole.APPLICANT, name="张三", id_number="430624199001011233",
                   phone="13800138000"),
        PartyDraft(role=PartyRole.RESPONDENT, name="李四", id_number="430624198505052341",
                   phone="13900139000"),
    ),
)).case
Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=mediator)
agreement = mediation.agreement_save(
    actor=mediator, case_id=case.pk, form=AgreementForm.WRITTEN,
    parties_particulars="张三，男；李四，男", facts="李四向张三借款三万元未还",
    issues="还款期限", responsibilities="李四应按期还款",
    terms=[mediation.TermDraft(content="李四于两个月内向张三归还借款三万元", obligor="李四",
           manner="银行转账", place="青湖村村委会",
           due_on=timezone.localdate() + timedelta(days=60))],
)
print(json.dumps({"case": case.pk, "agreement": agreement.pk}))
"""

BOOTSTRAP = """
import json, os, sys
import django
django.setup()
from django.conf import settings
settings.MEDIA_ROOT = os.environ["ESIGN_TEST_MEDIA"]  # signed files stay out of the working tree
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
        ESIGN_TEST_MEDIA=str(tmp_path_factory.mktemp("media")),
    )
    known = facts(env, SETUP)
    log = tmp_path_factory.mktemp("server") / "runserver.log"
    with running_server(env, log, bootstrap=BOOTSTRAP) as base:
        yield {"base": base, "outbox": str(outbox), **known}


def _messages(outbox: str) -> list[dict[str, str]]:
    path = Path(outbox)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _draw(page, section: str) -> None:
    """Draw a three-stroke signature on the section's pad with the pointer (mouse events are
    pointer events to the pad)."""
    canvas = page.locator(f"{section} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    for stroke in range(3):
        x0 = box["x"] + 20 + stroke * box["width"] / 3.5
        y0 = box["y"] + box["height"] * 0.75
        page.mouse.move(x0, y0)
        page.mouse.down()
        for step in range(1, 13):
            page.mouse.move(x0 + step * 6, y0 - (step if step < 7 else 13 - step) * 9)
        page.mouse.up()


def _sign_party(page, name: str, outbox: str) -> None:
    section = f"section.esign-signer:has(h2:has-text('{name}'))"
    id_number, phone = PARTIES[name]
    page.fill(f"{section} input[name=id_number]", id_number)
    before = len(_messages(outbox))
    page.click(f"{section} button.send-code")
    page.wait_for_selector(f"{section} :text('验证码已发送')")
    deadline = time.monotonic() + 10
    while len(_messages(outbox)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    last = _messages(outbox)[-1]
    assert last["phone"] == phone
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", last["text"])
    assert code, last
    page.fill(f"{section} input[name=code]", code.group(1))
    _draw(page, section)
    page.click(f"{section} button[type=submit]")
    page.wait_for_selector(f"text=已签名：{name}")


def test_parties_and_mediator_sign_on_a_phone_and_the_file_verifies(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        _login(page, server["base"], "tiaojie")
        page.goto(f"{server['base']}/cases/{server['case']}/")
        page.click("#esign-open")
        page.wait_for_selector("h1:has-text('签署调解协议书')")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the signing page is {width} px wide"

        # an empty pad is not sent
        page.click("#mediator button[type=submit]")
        assert page.is_visible("#mediator [data-pad-empty]")

        _sign_party(page, "张三", server["outbox"])
        _sign_party(page, "李四", server["outbox"])
        _draw(page, "#mediator")
        page.click("#mediator button[type=submit]")
        page.wait_for_selector("text=人民调解员已签名")

        page.click("#esign-seal")
        page.wait_for_selector("#verdict.verdict-intact", timeout=180_000)
        text = page.inner_text("main")
        assert "文件自签名后未被改动" in text
        assert "青湖村人民调解委员会" in text
        assert "张三" in text
        assert "李四" in text
        assert problems == []
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "esign-failure.html").write_text(page.content())
        page.screenshot(path=str(ARTIFACTS / "esign-failure.png"), full_page=True)
        raise
    finally:
        page.close()
