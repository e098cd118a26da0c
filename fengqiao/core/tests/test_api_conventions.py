"""What every API operation documents and answers alike: the 429 with Retry-After in the schema,
and timestamps in Beijing time with their offset."""

import pytest
from django.test import Client

from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.api import api


def test_every_operation_documents_the_429_and_its_retry_after():
    schema = api.get_openapi_schema()
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 10
    for operation in operations:
        answer = operation["responses"]["429"]
        assert answer["headers"]["Retry-After"]["schema"]["type"] == "integer"
        assert answer["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }


@pytest.mark.django_db
def test_timestamps_carry_the_beijing_offset(township_clerk, register_case):
    case = register_case()
    auth = {
        "HTTP_AUTHORIZATION": "Bearer "
        + api_token_create(actor=system_actor(), user=township_clerk)
    }
    body = Client().get(f"/api/v1/cases/{case.pk}", **auth).json()
    assert body["created_at"].endswith("+08:00")
    assert all(event["at"].endswith("+08:00") for event in body["events"])
