"""No page issues a query per row: every GET route of the URL list (the route matrix's list, so
a route added tomorrow is measured tomorrow) is answered with as many queries for a big case or a
long list as for a small one. A list that costs one query per case, or a case page that costs one
per party or per event, fails here with the route and both counts.

Each route is requested twice with the same user: once with a small case (two parties, the
registration events) among few cases, once with a big case (six parties and six more timeline
events) among many. Exact counts for the main pages are pinned in their apps' tests; this one
guards the shape of every route.
"""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, PartyDraft, case_transition
from tests.factories import PartyDraftFactory
from tests.test_route_matrix import ROUTES, fill

pytestmark = pytest.mark.django_db


def _parties(count: int) -> tuple[PartyDraft, ...]:
    return tuple(PartyDraftFactory.build_batch(count))


def _accepted(register_case: Callable[..., Case], clerk: User, parties: int) -> Case:
    case = register_case(parties=_parties(parties))
    return case_transition(actor=clerk, case_id=case.pk, name="accept")


def _counts(client: Client, case: Case) -> dict[str, tuple[int, int]]:
    """(status, queries) per route, the case's id filled in."""
    found = {}
    for route in ROUTES:
        url = fill(route, {"case_id": str(case.pk), "code": "430624122000", "year": "2026"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        found[route] = (response.status_code, len(queries))
    return found


@pytest.mark.parametrize(
    ("role", "org"),
    [(Role.CENTRE_DIRECTOR, "township_centre"), (Role.MEDIATOR, "village_committee")],
)
def test_no_route_costs_a_query_per_case_party_or_event(
    role, org, client, tree, make_actor, register_case, township_clerk
):
    user = make_actor(role, getattr(tree, org))
    client.force_login(user)
    small = _accepted(register_case, township_clerk, parties=2)
    _accepted(register_case, township_clerk, parties=2)  # so a list, and the duplicates, hold one
    few = _counts(client, small)

    big = _accepted(register_case, township_clerk, parties=6)
    for _round in range(3):
        for name in ("pause_deadline", "resume_deadline"):
            case_transition(
                actor=township_clerk, case_id=big.pk, name=name, action=ActionInput(note="等待材料")
            )
    for _more in range(6):
        _accepted(register_case, township_clerk, parties=3)
    many = _counts(client, big)

    grew = {
        route: f"{few[route][1]} → {many[route][1]} queries"
        for route in ROUTES
        if few[route][0] == many[route][0] == 200 and many[route][1] > few[route][1]
    }
    assert grew == {}
