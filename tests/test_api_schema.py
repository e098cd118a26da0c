"""Every API operation against its own OpenAPI schema (schemathesis): generated valid and invalid
requests never cause a server error, and every answer conforms to the documented responses.

The schema is read from the running application, so an operation added tomorrow is fuzzed
tomorrow. Each operation is called with the credential it expects: a channel token for the
intake channels, a staff member's API token for the case API.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.intake.services import channel_endpoint_create

CHANNEL_OF_PATH = {
    "/api/v1/intake/police-110": "police_110",
    "/api/v1/intake/hotline-12345": "hotline_12345",
    "/api/v1/intake/petitions": "petition",
    "/api/v1/intake/court-delegations": "court",
}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" connections at each request's start and end; Django's own
    test client turns that off, and so must we, or PostgreSQL loses the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(tree, township_clerk, make_actor, register_case):
    register_case()  # something to list, read and act on
    service = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_fuzz")
    tokens = {
        channel: channel_endpoint_create(
            actor=township_clerk,
            name=f"{channel} fuzz",
            channel=channel,
            org=tree.township_centre,
            service_user=service,
        )[1]
        for channel in set(CHANNEL_OF_PATH.values())
    }
    tokens["staff"] = api_token_create(actor=system_actor(), user=township_clerk)
    return tokens


# Read at collection through the WSGI application itself (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
pytestmark = pytest.mark.django_db


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_to_its_schema(case, credentials):
    path = case.path
    if path.startswith("/api/v1/intake/cases/"):
        token = credentials["police_110"]
    elif path.startswith("/api/v1/intake/"):
        token = credentials[CHANNEL_OF_PATH[path]]
    else:
        token = credentials["staff"]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
