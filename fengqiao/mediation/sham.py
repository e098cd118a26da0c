"""Suspected 虚假调解: mediation terminated because the parties are suspected of colluding to harm
the public's or a third party's interests is reported for review, never counted as a success.

特邀调解规定 (法释〔2016〕14号) art.18: a mediator who suspects 虚假调解 stops and reports it to the
court; 在线调解规则 (法释〔2021〕23号) art.23: no confirmation follows and criminal leads go to the
competent organ; 深圳经济特区矛盾纠纷多元化解条例 arts.28, 85. The referral goes, in the same
transaction as the termination, to the delegating court (a court-channel case registered by the
court), the 综治中心 and the 司法所 that cover the case's place (the township's, else the
nearest above); a timeline entry names each body told, or says that none is registered. A court
that delegated the case through its channel also receives the flag with the result
(``selectors.court_result_for``).
"""

from typing import Any

from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.cases.choices import SHAM_SUSPECTED, Action, Channel, EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import case_record_event
from fengqiao.notifications.services import notify_org
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

BASIS = "特邀调解规定第十八条、人民法院在线调解规则第二十三条"
REFERRAL = "suspected_sham_mediation"  # the referral's code on the timeline
REVIEWING_KINDS = (OrgKind.CENTRE, OrgKind.JUSTICE_OFFICE)


def reviewers(case: Case) -> list[Organisation]:
    """The bodies a suspected sham mediation is reported to, each once."""
    found: list[Organisation] = []
    court = case.registering_org
    if case.channel == Channel.COURT and court.kind == OrgKind.COURT and court.is_active:
        found.append(court)
    for kind in REVIEWING_KINDS:
        org = Organisation.objects.active().filter(kind=kind).covering(case.place_prefix).first()
        if org is not None and org not in found:
            found.append(org)
    return found


def refer_suspected_collusion(case: Case, transition: str, action: Any, actor: User) -> None:
    """After ``terminate`` for suspected collusion (``cases.hooks.on_transition``): put the
    referral on the timeline and tell each reviewing body."""
    if transition != Action.TERMINATE or action.termination_reason not in SHAM_SUSPECTED:
        return
    bodies = reviewers(case)
    names = "、".join(org.name for org in bodies)
    if bodies:
        note = gettext(
            "Mediation ended on suspicion of collusion (虚假调解); reported for review to "
            "%(bodies)s (%(basis)s)."
        ) % {"bodies": names, "basis": BASIS}
    else:
        note = gettext(
            "Mediation ended on suspicion of collusion (虚假调解), but no court, centre or "
            "judicial office in the system covers the place: report it to them in writing "
            "(%(basis)s)."
        ) % {"basis": BASIS}
    event = case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.REFERRAL_RECORDED,
        data={
            "referral": REFERRAL,
            "termination_reason": action.termination_reason,
            "reported_to": [org.code for org in bodies],
            "reported_names": [org.name for org in bodies],
            "basis": BASIS,
            "note": note,
        },
        scoped=False,
    )
    case.event_count, case.ledger_head = event.seq, event.hash
    title = gettext("Suspected sham mediation: %(number)s") % {"number": case.number}
    body = "；".join(
        part
        for part in (
            f"{case.handling_org.name}：{case.title}",
            gettext("the parties are suspected of colluding to harm others' interests"),
            action.note.strip(),
            BASIS,
        )
        if part
    )
    for org in bodies:
        notify_org(org=org, title=title, body=body, case=case)
