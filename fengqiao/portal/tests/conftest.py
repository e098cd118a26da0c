"""Portal fixtures: an "online" endpoint for 静河镇, the privacy notice in force and an SMS
outbox instead of the gateway."""

import re

import pytest

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import Channel
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.portal import services


@pytest.fixture(autouse=True)
def _notice_in_force(privacy_notice):
    """Every portal test runs with a notice published; the tests of its absence delete it."""
    return privacy_notice


# What a form sends when the citizen ticked the notice (and, for ID numbers and evidence, the
# separate consent to sensitive personal information).
CONSENTED = {"notice_version": "1", "consent": ["mediation", "mediation_sensitive"]}


@pytest.fixture
def online_endpoint(tree, make_actor):
    service = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="portal_jinghe")
    endpoint, _token = channel_endpoint_create(
        actor=system_actor(),
        name="静河镇群众网上申请",
        channel=Channel.ONLINE,
        org=tree.township_centre,
        service_user=service,
    )
    return endpoint


class Outbox(list):
    def last_code(self) -> str:
        for _phone, text in reversed(self):
            found = re.search(r"\b(\d{6})\b", text)
            if found:
                return found.group(1)
        raise AssertionError("no code sent")


@pytest.fixture
def outbox(monkeypatch) -> Outbox:
    sent = Outbox()
    monkeypatch.setattr(
        services, "_send_sms", lambda phone, text, **_template: sent.append((phone, text))
    )
    return sent
