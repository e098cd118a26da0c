"""Fixtures of the browser suite (tests/browser/harness.py): the demo built once per session,
a fresh copy and a real server per module, and one Chromium per module.

A module sets ``DEMO_CASES`` for the cases it needs and may define its own ``server`` fixture
(extra settings, a bootstrap script, facts about its demo) on top of ``database_url``.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DemoBuilds,
    environment,
    facts,
    running_server,
)

# What most modules need: the 青湖村 committee, its code and its mediator.
FACTS = """
import json
from fengqiao.accounts.models import User
from fengqiao.orgs.models import Organisation
village = Organisation.objects.get(code__endswith="TW", region__name="青湖村")
mediator = User.objects.get(username="tiaojie")
facts = {"village_org": village.pk, "village": village.region.code, "mediator": mediator.pk}
print(json.dumps({key: str(value) for key, value in facts.items()}))
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here and not Path(CHROMIUM).exists():
            item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBuilds]:
    builds = DemoBuilds(tmp_path_factory.mktemp("browser-demo"))
    try:
        yield builds
    finally:
        builds.drop_all()


@pytest.fixture(scope="module")
def database_url(request: pytest.FixtureRequest, demo_builds: DemoBuilds) -> str:
    """A database of this module's own with the demo loaded (``DEMO_CASES`` cases, default 0)."""
    return demo_builds.fresh_copy(int(getattr(request.module, "DEMO_CASES", 0)))


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo server on this module's database, with the 青湖村 facts."""
    env = environment(database_url)
    known = facts(env, FACTS)
    with running_server(env, tmp_path_factory.mktemp("server") / "runserver.log") as base:
        yield {"base": base, **known}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
