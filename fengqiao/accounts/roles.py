"""Roles and the capabilities each grants; a membership grants a role over a region subtree."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from fengqiao.orgs.choices import OrgKind


class Capability(StrEnum):
    CASE_VIEW = "case.view"
    CASE_REGISTER = "case.register"
    CASE_ACCEPT = "case.accept"  # 受理 / 不予受理, and receiving transfers
    CASE_ASSIGN = "case.assign"  # 交办 to a unit and a person with a deadline
    CASE_MEDIATE = "case.mediate"
    CASE_TRANSFER = "case.transfer"  # 移交 and 上报
    CASE_CLOSE = "case.close"
    CASE_REOPEN = "case.reopen"
    CASE_SUPERVISE = "case.supervise"  # 督办, 包案
    PII_UNMASK = "pii.unmask"  # see ID numbers and phones unmasked (audited)
    # 三员分立 (MLPS level 3): the security administrator manages sign-in security, the audit
    # administrator reads the audit log; neither grants any case content.
    SECURITY_MANAGE = "security.manage"
    AUDIT_VIEW = "audit.view"
    KNOWLEDGE_EDIT = "knowledge.edit"  # write and publish the legal knowledge base


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")  # 网格员
    MEDIATOR = "mediator", _("Mediator")  # 调解员
    INTAKE_CLERK = "intake_clerk", _("Centre intake clerk")  # 中心受理员
    CENTRE_DIRECTOR = "centre_director", _("Centre director")  # 中心主任
    JUSTICE_OFFICER = "justice_officer", _("Judicial office")  # 司法所
    POLICE_LIAISON = "police_liaison", _("Police station liaison")  # 派出所联络员
    # 双背书 (seed 000: "派出所所长、村（社区）党组织书记对本辖区矛盾纠纷排查'双背书'"): the two
    # posts that countersign a village's 排查 results, and nobody else.
    POLICE_STATION_HEAD = "police_station_head", _("Police station head")  # 派出所所长
    VILLAGE_SECRETARY = "village_secretary", _("Village party secretary")  # 村（社区）党组织书记
    PETITION_LIAISON = "petition_liaison", _("Petition office liaison")  # 信访联络员
    COURT_LIAISON = "court_liaison", _("Court liaison")  # 法院联络员
    CASE_LEADER = "case_leader", _("Responsible leader (包案领导)")  # 包案领导
    SYSTEM_ADMIN = "system_admin", _("System administrator")  # 系统管理员
    SECURITY_ADMIN = "security_admin", _("Security administrator")  # 安全管理员
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")  # 安全审计员
    READ_ONLY = "read_only", _("Read only")  # 只读


C = Capability
_HANDLING = frozenset(
    {C.CASE_VIEW, C.CASE_REGISTER, C.CASE_ACCEPT, C.CASE_ASSIGN, C.CASE_MEDIATE, C.CASE_TRANSFER}
)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.GRID_WORKER: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.MEDIATOR: frozenset({C.CASE_VIEW, C.CASE_REGISTER, C.CASE_MEDIATE}),
    Role.INTAKE_CLERK: frozenset(
        {C.CASE_VIEW, C.CASE_REGISTER, C.CASE_ACCEPT, C.CASE_ASSIGN, C.CASE_TRANSFER}
    ),
    Role.CENTRE_DIRECTOR: _HANDLING
    | {C.CASE_CLOSE, C.CASE_REOPEN, C.CASE_SUPERVISE, C.PII_UNMASK, C.KNOWLEDGE_EDIT},
    Role.JUSTICE_OFFICER: _HANDLING | {C.CASE_CLOSE, C.CASE_REOPEN, C.PII_UNMASK, C.KNOWLEDGE_EDIT},
    Role.POLICE_LIAISON: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.POLICE_STATION_HEAD: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.VILLAGE_SECRETARY: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.PETITION_LIAISON: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.COURT_LIAISON: frozenset({C.CASE_VIEW, C.CASE_REGISTER}),
    Role.CASE_LEADER: frozenset({C.CASE_VIEW, C.CASE_SUPERVISE}),
    # 三员分立: the system administrator runs the system but reads no case content without a grant.
    Role.SYSTEM_ADMIN: frozenset(),
    Role.SECURITY_ADMIN: frozenset({C.SECURITY_MANAGE}),
    Role.AUDIT_ADMIN: frozenset({C.AUDIT_VIEW}),
    Role.READ_ONLY: frozenset({C.CASE_VIEW}),
}


# 小事不出村 (every seed's first rule): a village committee accepts, hands to one of its
# mediators, mediates, transfers or escalates and concludes its own cases. Its mediators are the
# committee, so a mediator's membership at a village committee carries the handling rights; the
# membership covers only the village, so only the committee's own cases (issue #21).
VILLAGE_COMMITTEE_MEDIATOR = ROLE_CAPABILITIES[Role.MEDIATOR] | frozenset(
    {C.CASE_ACCEPT, C.CASE_ASSIGN, C.CASE_TRANSFER, C.CASE_CLOSE}
)


def capabilities_for(role: str, *, org_kind: str) -> frozenset[Capability]:
    """What a membership in ``role`` at an organisation of ``org_kind`` may do."""
    if role == Role.MEDIATOR and org_kind == OrgKind.VILLAGE_COMMITTEE:
        return VILLAGE_COMMITTEE_MEDIATOR
    return ROLE_CAPABILITIES.get(role, frozenset())


def roles_with(capability: Capability) -> list[str]:
    """The roles that grant ``capability``: who may be picked as mediator, leader and so on."""
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
