"""The KPI page in a real Chromium: figures against targets, and every chart drawn by the
vendored ECharts (an SVG with its labels), on a demo county with a year of cases."""

from collections.abc import Iterator

import pytest

from tests.browser.harness import CHROMIUM, environment, running_server
from tests.browser.harness import login as _login

pytestmark = [pytest.mark.browser]


DEMO_CASES = 60


@pytest.fixture(scope="module")
def demo_server(database_url, tmp_path_factory) -> Iterator[str]:
    env = environment(database_url)
    with running_server(env, tmp_path_factory.mktemp("server") / "runserver.log") as base:
        yield base


def test_the_dashboard_draws_its_charts(demo_server, browser):
    assert CHROMIUM
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # the Content-Security-Policy blocks nothing ECharts and htmx need
    page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
    _login(page, demo_server, "zhuren")
    page.click("nav >> text=统计考核")
    page.wait_for_selector("#kpi-table")
    table = page.inner_text("#kpi-table")
    assert "矛盾纠纷调处率" in table
    assert "调处成功率" in table
    for key in ("trend", "channel", "category_id", "level", "ranking", "map"):
        page.wait_for_selector(f"#chart-{key} svg", timeout=15000)
    assert page.locator("#chart-channel svg text").count() > 3  # axis labels and values drawn
    assert page.locator("#chart-map svg text").count() >= 5  # the village tiles are labelled
    assert "需要关注" in page.inner_text("#kpi-attention")
    assert not errors, errors
    page.click("#kpi-table tr[data-code=registered] td:nth-child(4) a")
    page.wait_for_selector("#drill-rows")
    assert page.locator("#drill-rows tbody tr").count() >= 1
