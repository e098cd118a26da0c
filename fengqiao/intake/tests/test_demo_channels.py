"""The demo opens the four channels into 静河镇 and prints their tokens; a printed token works."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from fengqiao.cases.models import Case
from fengqiao.routing.models import RoutingRule

pytestmark = pytest.mark.django_db


def test_demo_tokens_open_the_intake_api_and_routing_rules_apply(client):
    out = StringIO()
    call_command("load_demo", "--cases", "12", stdout=out)
    printed = out.getvalue()
    assert "分流规则 5 条" in printed
    tokens = dict(re.findall(r"    (\S+ 110 警情转办)：(fqc_\S+)", printed))
    (token,) = tokens.values()
    assert RoutingRule.objects.filter(is_active=True).count() == 5

    body = {
        "incident_no": "DEMO-110-0001",
        "reported_at": "2026-11-01T10:00:00+08:00",
        "place_code": "430624122201",
        "callers": [{"name": "演示甲", "phone": "13800138000", "residence_code": "430624122201"}],
        "other_parties": [{"name": "演示乙", "residence_code": "430624122208"}],
        "summary": "两村村民因灌溉用水发生争执",
        "category": "neighbour",
    }
    response = client.post(
        "/api/v1/intake/police-110",
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content.decode()
    case = Case.objects.get(source_ref="DEMO-110-0001")
    assert case.routing["rule"] == "cross-village-to-township"
    assert case.handling_org.code == "430624122ZZ"
