"""The documents panel in a real Chromium against a real server: the director registers and
accepts a dispute, generates the 受理登记表 from the case page, and downloads it under its
Chinese name; a document the case cannot have yet shows why instead of a button."""

from collections.abc import Iterator

import pytest

from fengqiao.documents.tests.helpers import docx_text
from tests.browser.conftest import FACTS
from tests.browser.harness import ARTIFACTS, environment, facts, running_server
from tests.browser.harness import act as _act
from tests.browser.harness import confirm as _confirm
from tests.browser.harness import login as _login

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def server(database_url, tmp_path_factory) -> Iterator[dict[str, str]]:
    """This test is about documents: the demo login must not be sent to the password-change
    page, whatever age the demo accounts' passwords have reached."""
    env = environment(database_url, FENGQIAO_PASSWORD_MAX_AGE_DAYS="0")
    known = facts(env, FACTS)
    with running_server(env, tmp_path_factory.mktemp("server") / "runserver.log") as base:
        yield {"base": base, **known}


def test_generate_and_download_from_the_case_page(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        _generate_and_download(page, server)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "documents-panel-failure.html").write_text(page.content())
        page.screenshot(path=str(ARTIFACTS / "documents-panel-failure.png"), full_page=True)
        raise
    finally:
        page.close()


def _generate_and_download(page, server) -> None:
    _login(page, server["base"], "zhuren")
    page.click("text=登记纠纷")
    page.fill("#id_title", "青湖村相邻通行纠纷（文书）")
    page.fill("#id_description", "丙某修建围栏堵塞丁某通行道路，双方发生争执。")
    page.select_option("#id_category", "neighbour")
    page.select_option("#id_region", server["village"])
    page.fill("#id_parties-0-name", "丙某")
    page.fill("#id_parties-1-name", "丁某")
    page.click("form.register button[type=submit]:has-text('登记')")
    page.wait_for_selector("#case-status:has-text('已登记')")
    number = page.inner_text("#case-header p.number").split(" ·")[0].strip()
    _act(page, "accept")
    _confirm(page, "accept", "已受理")

    panel = "#panel-documents"
    button = f"{panel} tr[data-kind=registration] button:has-text('Word')"
    page.wait_for_selector(button)
    assert "尚未制作书面调解协议" in page.inner_text(f"{panel} tr[data-kind=agreement]")
    with page.expect_response(lambda r: "/generate/registration/docx/" in r.url) as info:
        page.click(button)
    assert info.value.status == 200
    link = f"{panel} #documents-generated a"
    page.wait_for_selector(link)  # the panel reloaded itself on case-changed
    with page.expect_download() as downloaded:
        page.click(link)
    download = downloaded.value
    assert download.suggested_filename == f"人民调解受理登记表-{number}.docx"
    with open(download.path(), "rb") as handle:
        text = docx_text(handle.read())
    assert "丙某" in text
    assert "丁某" in text
    assert "相邻" in text or "邻里" in text
