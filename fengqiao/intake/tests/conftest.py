"""Fixtures of the intake tests: a channel's service account and endpoints with their tokens."""

import pytest

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.orgs.roster import Mediator, MediatorKind


@pytest.fixture
def service_user(make_actor, tree) -> User:
    return make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_channels")


@pytest.fixture
def endpoint_for(service_user, tree, township_clerk):
    def make(channel: str, **kwargs) -> tuple[ChannelEndpoint, str]:
        return channel_endpoint_create(
            actor=township_clerk,
            name=f"{channel} test",
            channel=channel,
            org=tree.township_centre,
            service_user=service_user,
            **kwargs,
        )

    return make


@pytest.fixture
def mediator(make_actor, tree) -> User:
    """王调解: a mediator of the township centre, on its roster with his login (the history
    import's ledger rows name him)."""
    user = make_actor(Role.MEDIATOR, tree.township_centre, username="wangtj")
    Mediator.objects.create(
        name="王调解", kind=MediatorKind.FULL_TIME, org=tree.township_centre, user=user
    )
    return user
