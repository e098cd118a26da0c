"""Issue #21: a second 获取验证码 within 60 s failed with no message: the 429 fragment carrying the
message was never swapped in, because htmx 2 swaps no 4xx unless told to."""

import json
import re
from pathlib import Path

import pytest

from fengqiao.portal.tests.conftest import CONSENTED

BASE = Path(__file__).resolve().parents[2] / "templates" / "base.html"


def _rules() -> list[dict[str, object]]:
    html = BASE.read_text(encoding="utf-8")
    found = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert found is not None
    rules: list[dict[str, object]] = json.loads(found.group(1))["responseHandling"]
    return rules


def _swapped(status: int) -> bool:
    for rule in _rules():
        if re.fullmatch(str(rule["code"]).replace(".", r"\d"), str(status)):
            return bool(rule["swap"])
    return False


def test_every_status_a_fragment_explains_itself_with_is_swapped():
    # 400/403/404 not found or refused, 409 blocked, 422 field errors, 429 wait and retry
    assert [s for s in (400, 403, 404, 409, 422, 429) if not _swapped(s)] == []
    assert not _swapped(500)


@pytest.mark.django_db
def test_the_portal_code_refusal_carries_its_message(client, outbox):
    first = client.post("/portal/code/", {"phone": "13912345678", "purpose": "apply", **CONSENTED})
    second = client.post("/portal/code/", {"phone": "13912345678", "purpose": "apply", **CONSENTED})
    assert first.status_code == 200
    assert second.status_code == 429
    assert 'role="alert"' in second.content.decode()
    assert second.content.decode().count("field-error") == 1
