"""The demo's online application: one "online" channel endpoint per township centre, each with a
dedicated service account holding the intake clerk role there, so the portal lists every demo
township and registers applications at its centre; and 静河镇's privacy notice, without which
the portal accepts no personal information."""

import random

from django.db import transaction

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import membership_grant, system_actor
from fengqiao.cases.choices import Channel
from fengqiao.demo.privacy import ensure_demo_notice
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel

SERVICE_PREFIX = "portal_"


@transaction.atomic
def ensure_portal_endpoints(actor: User | None = None) -> list[ChannelEndpoint]:
    """Open the portal into every township centre that has no active "online" endpoint yet;
    idempotent. Returns the endpoints it created."""
    actor = actor or system_actor()
    centres = Organisation.objects.select_related("region").filter(
        kind=OrgKind.CENTRE, is_active=True, region__level=RegionLevel.TOWNSHIP
    )
    created: list[ChannelEndpoint] = []
    for centre in centres.order_by("code"):
        if ChannelEndpoint.objects.filter(
            channel=Channel.ONLINE, org=centre, is_active=True
        ).exists():
            continue
        username = f"{SERVICE_PREFIX}{centre.region.code[:9]}"
        service_user = User.objects.filter(username=username).first()
        if service_user is None:
            service_user = User.objects.create_user(
                username=username,
                full_name=f"网上申请（{centre.region.name}）",
                password=None,
            )
            membership_grant(
                actor=actor,
                user=service_user,
                role=Role.INTAKE_CLERK,
                region=centre.region,
                org=centre,
            )
        endpoint, _token = channel_endpoint_create(
            actor=actor,
            name=f"{centre.region.name}群众网上申请",
            channel=Channel.ONLINE,
            org=centre,
            service_user=service_user,
        )
        created.append(endpoint)
    return created


def load_portal_demo(actor: User, rng: random.Random) -> list[str]:
    """Demo step (registered in ``PortalConfig.ready``)."""
    lines: list[str] = []
    notice = ensure_demo_notice(actor)
    if notice is not None:
        lines.append(f"个人信息保护告知书第 {notice.version} 版已发布：/portal/privacy/")
    created = ensure_portal_endpoints(actor)
    if created:
        names = "、".join(e.org.region.name for e in created)
        lines.append(f"群众网上申请 /portal/ 已开通：{names}")
    return lines
