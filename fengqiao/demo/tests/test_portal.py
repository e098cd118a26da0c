"""The demo opens the portal into every township centre, once."""

from fengqiao.accounts import access
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import Channel
from fengqiao.demo.portal import ensure_portal_endpoints
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.portal import selectors


def test_every_township_centre_gets_one_online_endpoint(tree):
    created = ensure_portal_endpoints()
    assert {e.org for e in created} == {tree.township_centre, tree.other_township_centre}
    for endpoint in created:
        assert endpoint.channel == Channel.ONLINE
        assert endpoint.org_id in access.org_ids_with(
            endpoint.service_user, Capability.CASE_REGISTER
        )
    assert ensure_portal_endpoints() == []
    assert ChannelEndpoint.objects.filter(channel=Channel.ONLINE).count() == 2
    assert [t.code for t in selectors.townships_open()] == [
        tree.township.code,
        tree.other_township.code,
    ]
    assert selectors.endpoint_for_township(tree.other_township.code).org == (
        tree.other_township_centre
    )
