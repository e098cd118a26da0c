"""The demo's channel endpoints: 110, 12345, petition and court into 静河镇's centre, each with
its token printed once by ``load_demo`` so the intake API can be tried at once."""

import random

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import membership_grant
from fengqiao.cases.choices import Channel
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.orgs.models import Organisation

CENTRE = "430624122ZZ"  # 静河镇综治中心（矛调中心）
SERVICE_USER = "qudao_jinghe"

ENDPOINTS = [
    (Channel.POLICE_110, "樟树派出所 110 警情转办"),
    (Channel.HOTLINE_12345, "湘阴县 12345 热线工单"),
    (Channel.PETITION, "静河镇信访办 信访件转办"),
    (Channel.COURT, "静河人民法庭 委派委托调解"),
]


def load_intake_demo(actor: User, rng: random.Random) -> list[str]:
    centre = Organisation.objects.select_related("region").filter(code=CENTRE).first()
    if centre is None:
        return []
    service_user = User.objects.create_user(
        username=SERVICE_USER, full_name="渠道接口（静河镇）", password=None
    )
    membership_grant(
        actor=actor, user=service_user, role=Role.INTAKE_CLERK, region=centre.region, org=centre
    )
    lines = ["渠道接入令牌（API：/api/v1/intake/…，文档 /api/v1/docs）："]
    for channel, name in ENDPOINTS:
        _endpoint, token = channel_endpoint_create(
            actor=actor, name=name, channel=channel, org=centre, service_user=service_user
        )
        lines.append(f"    {name}：{token}")
    return lines
