"""The top bar's links, as data: each section is offered only to those whose roles reach it.

Most pages answer every signed-in person (with an empty, scoped list), so "reach" is the
capability the section's selectors scope by: a grid worker's menu has no ledgers import, and
the three administrators (三员分立) see only their own pages and their messages (issue #16).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability, Role
from fengqiao.orgs.choices import OrgKind

C = Capability


@dataclass(frozen=True, slots=True)
class Section:
    """One menu entry and the test of who is offered it."""

    url_name: str
    label: Promise
    reaches: Callable[[User, frozenset[Capability]], bool]
    element_id: str = ""


def _holds(capability: Capability) -> Callable[[User, frozenset[Capability]], bool]:
    return lambda _user, capabilities: capability in capabilities


def _works_a_grid(user: User, capabilities: frozenset[Capability]) -> bool:
    # The report form is the grid worker's (网格员): anyone else with the right to register met a
    # page saying they work no grid (the clerk's, the court's and the petition office's menus,
    # issue #21). Read from the cached grants, so the menu costs no query (issue #15).
    return C.CASE_REGISTER in capabilities and any(
        grant.role == Role.GRID_WORKER for grant in access.grants_for(user)
    )


def _works_at_legal_aid_centre(user: User, _capabilities: frozenset[Capability]) -> bool:
    # legalaid.selectors.inbox_for: referrals reach the centres the user works for
    return any(g.org_kind == OrgKind.LEGAL_AID_CENTRE for g in access.grants_for(user))


SECTIONS: tuple[Section, ...] = (
    Section("cases:todo", _("My to-do"), _holds(C.CASE_VIEW)),
    Section("cases:list", _("Cases"), _holds(C.CASE_VIEW)),
    Section("intake:register", _("Register a dispute"), _holds(C.CASE_REGISTER)),
    Section("intake:import", _("Import a ledger"), _holds(C.CASE_REGISTER)),
    Section("intake:grid_report", _("Grid report"), _works_a_grid),
    Section("patrols:index", _("Dispute investigation"), _holds(C.CASE_VIEW)),
    Section("mediation:roster", _("Mediator roster"), _holds(C.CASE_VIEW)),
    Section("supervision:board", _("Supervision board"), _holds(C.CASE_VIEW)),
    Section("kpi:index", _("Figures"), _holds(C.CASE_VIEW)),
    Section("dataio:index", _("Ledgers"), _holds(C.CASE_VIEW)),
    Section("knowledge:index", _("Legal knowledge base"), _holds(C.CASE_VIEW)),
    Section("registers:people", _("Village registers"), _holds(C.CASE_VIEW)),
    Section("legalaid:inbox", _("Legal aid"), _works_at_legal_aid_centre),
    Section("admin:index", _("Administration"), lambda user, _caps: user.is_staff),
    Section("audit:log", _("Audit log"), _holds(C.AUDIT_VIEW)),
    Section("security_admin", _("Sign-in security"), _holds(C.SECURITY_MANAGE)),
    Section("supervision:inbox", _("Messages"), lambda _user, _caps: True, "nav-inbox"),
)


@dataclass(frozen=True, slots=True)
class Link:
    """A menu entry as the template draws it."""

    url: str
    label: Promise
    element_id: str
    is_current: bool


def links_for(user: User, *, path: str) -> list[Link]:
    """The sections ``user`` reaches, the one ``path`` is in marked current (the longest
    matching address, so /cases/12/ is under 案件列表 and / only itself)."""
    if not user.is_authenticated:
        return []
    capabilities = frozenset(c for grant in access.grants_for(user) for c in grant.capabilities)
    offered = [(s, reverse(s.url_name)) for s in SECTIONS if s.reaches(user, capabilities)]
    matching = [url for _s, url in offered if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [Link(url, s.label, s.element_id, url == current) for s, url in offered]
