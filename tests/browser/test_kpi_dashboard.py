"""The KPI page in a real Chromium: figures against targets, and every chart drawn by the
vendored ECharts (an SVG with its labels), on a demo county with a year of cases."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.browser.test_mediation_flow import (  # the same server harness and browser
    CHROMIUM,
    ROOT,
    _free_port,
    _login,
    _manage,
    browser,  # noqa: F401  (a fixture)
    database_url,  # noqa: F401  (a fixture)
)

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def demo_server(database_url) -> Iterator[str]:  # noqa: F811
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.dev",
        "DATABASE_URL": database_url,
    }
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "collectstatic", "--no-input", "-v", "0")  # hashed names (#16)
    _manage(env, "load_demo", "--cases", "60")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_dashboard_draws_its_charts(demo_server, browser):  # noqa: F811
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
