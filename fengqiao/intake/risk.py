"""Risk signals of a new dispute, each with the words or facts behind it (人民调解法 art.25: a
dispute that may intensify calls for prevention at once, and one that may become a public-order
or criminal case must be reported).

- 民转刑: threats, weapons, injury; or the same parties in conflict again within a year;
- 群体性: many people, or collective action (联名, 上访, 堵路, 聚集…);
- 极端: threats of self-harm (跳楼, 喝农药, 同归于尽…);
- sensitive periods (a calendar in settings) raise the level while they last.

On registration the flags are set on the case, its risk level raised (never lowered below what a
person chose), the reasons put on its timeline, and the township alerted after the commit. A flag
the registering person set counts as much as one the words raised. A dispute that may become a
public-order or criminal case (民转刑, 群体性) is also reported to the police station that covers
its place (the deepest one); where none is registered, the timeline and the township's alert say
so, and a person reports it by telephone. What a grid worker or mediator learns later (a threat,
a crowd forming) raises the same flags on an open case through ``risk_raise``, with the same
timeline entry, audit and alerts (issue #14); a flag is never lowered by this path.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind, RiskLevel
from fengqiao.cases.models import Case, Party
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError
from fengqiao.notifications.services import notify_org
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

logger = logging.getLogger(__name__)

CRIMINAL_WORDS = (
    "砍",
    "刀",
    "杀",
    "弄死",
    "打死",
    "报复",
    "威胁",
    "持械",
    "棍棒",
    "斗殴",
    "动手打",
    "打伤",
    "放火",
    "烧了",
)
# "上访" alone is one party's threat to petition, not a crowd (issue #21: a two-party quarrel was
# flagged 群体性); collective petitioning is named by 集体, 联名, 群访.
MASS_WORDS = (
    "集体",
    "联名",
    "堵路",
    "聚集",
    "围堵",
    "群访",
    "拉横幅",
    "静坐",
    "几十户",
    "全村",
)
EXTREME_WORDS = (
    "跳楼",
    "喝农药",
    "喝药",
    "自杀",
    "同归于尽",
    "寻死",
    "轻生",
    "不想活",
    "自焚",
    "跳河",
)
ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}
# The flags that alert at once, and those the police must hear of: 人民调解法 art.25 "对有可能引起
# 治安案件、刑事案件的纠纷，应当及时向当地公安机关或者其他有关部门报告".
ALERTING = frozenset({"criminal", "mass", "extreme"})
POLICE_MATTERS = frozenset({"criminal", "mass"})


@dataclass
class Flag:
    code: str  # criminal, mass, extreme, sensitive_period
    reasons: list[str]


@dataclass
class Assessment:
    flags: list[Flag] = field(default_factory=list)

    @property
    def level(self) -> str:
        codes = {f.code for f in self.flags}
        if codes & {"criminal", "mass", "extreme"}:
            return RiskLevel.HIGH
        return RiskLevel.MEDIUM if codes else RiskLevel.LOW

    def explanation(self) -> list[str]:
        return [f"{label(f.code)}：{'、'.join(f.reasons)}" for f in self.flags]


def label(code: str) -> str:
    return {
        "criminal": gettext("risk of turning criminal"),
        "mass": gettext("mass incident risk"),
        "extreme": gettext("extreme behaviour risk"),
        "sensitive_period": gettext("sensitive period"),
    }[code]


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def sensitive_periods(on: date) -> list[str]:
    """Names of the configured sensitive periods that include ``on`` (FENGQIAO_SENSITIVE_PERIODS:
    (name, "MM-DD", "MM-DD"), a period may run over the new year)."""
    names = []
    key = on.strftime("%m-%d")
    for name, start, end in getattr(settings, "FENGQIAO_SENSITIVE_PERIODS", []):
        inside = start <= key <= end if start <= end else (key >= start or key <= end)
        if inside:
            names.append(str(name))
    return names


def repeated_conflict(case: Case, *, days: int = 365) -> list[str]:
    """Earlier cases within ``days`` where one of this case's parties appears again (the same ID
    number or phone by blind index, or the same name in the same village)."""
    parties = list(case.parties.only("case_id", "name", "id_number_index", "phone_index"))
    match = Q()
    for party in parties:
        if party.id_number_index:
            match |= Q(id_number_index=party.id_number_index)
        if party.phone_index:
            match |= Q(phone_index=party.phone_index)
        match |= Q(name=party.name, case__place_prefix=case.place_prefix)
    if not parties:
        return []
    since = case.created_at - timedelta(days=days)
    earlier = (
        Party.objects.filter(match, case__created_at__range=(since, case.created_at))
        .exclude(case=case)
        .order_by("-case__created_at")
        .values_list("case__number", flat=True)  # the numbers only: this runs on every intake
    )
    return sorted(set(earlier[:20]))


def assess_text(text: str, people_count: int, on: date, earlier: Sequence[str] = ()) -> Assessment:
    """The signals in a dispute's words and numbers (``earlier``: case numbers of the same
    parties' earlier conflicts, when known)."""
    result = Assessment()
    reasons = _found(text, CRIMINAL_WORDS)
    if earlier:
        reasons.append(gettext("the same parties again: %(cases)s") % {"cases": "、".join(earlier)})
    if reasons:
        result.flags.append(Flag("criminal", reasons))
    threshold = int(getattr(settings, "FENGQIAO_MASS_PEOPLE", 10))
    mass = _found(text, MASS_WORDS)
    if people_count >= threshold:
        mass.append(gettext("%(n)s people involved") % {"n": people_count})
    if mass:
        result.flags.append(Flag("mass", mass))
    extreme = _found(text, EXTREME_WORDS)
    if extreme:
        result.flags.append(Flag("extreme", extreme))
    periods = sensitive_periods(on)
    if periods:
        result.flags.append(Flag("sensitive_period", periods))
    return result


def assess(case: Case) -> Assessment:
    return assess_text(
        f"{case.title}\n{case.description}\n{case.claims}",
        case.people_count,
        timezone.localdate(case.created_at),
        repeated_conflict(case),
    )


def township_centre(case: Case) -> Organisation | None:
    return (
        Organisation.objects.active()
        .filter(kind=OrgKind.CENTRE, region__prefix=case.place_prefix[:9])
        .first()
    )


def police_station(case: Case) -> Organisation | None:
    """The 派出所 (or higher police organ) seated on the case's place or above it, the deepest."""
    return (
        Organisation.objects.active()
        .filter(kind=OrgKind.POLICE_STATION)
        .covering(case.place_prefix)
        .first()
    )


def _marked(case: Case, codes: set[str]) -> list[Flag]:
    """The flags the registering person set that the words did not raise."""
    given = (
        ("criminal", case.is_criminal_risk),
        ("mass", case.is_mass),
        ("extreme", case.is_extreme),
    )
    reason = gettext("marked by the person who registered it")
    return [Flag(code, [reason]) for code, on in given if on and code not in codes]


def _police_note(case: Case, police: Organisation | None) -> str:
    if police is not None:
        return gettext("Reported to %(org)s (人民调解法 art.25).") % {"org": police.name}
    return gettext(
        "No police station in the system covers %(place)s: the township centre must report this "
        "dispute to the local police by telephone at once (人民调解法 art.25)."
    ) % {"place": case.region.name}


def flag_new_case(case: Case, actor: User) -> None:
    """The intake path's risk step (``intake.pipeline``): raise the flags and level, put the
    reasons on the timeline (with the police station told, or that none covers the place),
    audit, and alert the township, the handling unit and the police station after the commit."""
    assessment = assess(case)
    assessment.flags.extend(_marked(case, {f.code for f in assessment.flags}))
    if not assessment.flags:
        return
    _apply(
        case, actor, {f.code for f in assessment.flags}, assessment.level, assessment.explanation()
    )


def _apply(case: Case, actor: User, codes: set[str], level: str, reasons: list[str]) -> None:
    """Set the flags and the raised level, put the reasons on the timeline (with the police
    station told, or that none covers the place), audit, and alert after the commit."""
    level = max(case.risk_level, level, key=lambda value: ORDER[RiskLevel(value)])
    changes = {
        "risk_level": level,
        "is_criminal_risk": case.is_criminal_risk or "criminal" in codes,
        "is_mass": case.is_mass or "mass" in codes,
        "is_extreme": case.is_extreme or "extreme" in codes,
    }
    Case.objects.filter(pk=case.pk).update(**changes)  # flags, not a status: no transition
    for name, value in changes.items():
        setattr(case, name, value)
    data: dict[str, Any] = {"flags": sorted(codes), "level": level, "reasons": reasons}
    police: Organisation | None = None
    if codes & POLICE_MATTERS:
        police = police_station(case)
        data["police_station"] = police.code if police is not None else ""
        data["note"] = "；".join([*reasons, _police_note(case, police)])
    event = case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.RISK_FLAGGED,
        data=data,
        scoped=False,
    )
    case.event_count, case.ledger_head = event.seq, event.hash
    record(
        actor=actor,
        action=AuditAction.CASE_RECORDED,
        target=case,
        org=case.handling_org,
        extra={"risk_flags": sorted(codes), "level": level},
    )
    if codes & ALERTING:
        police_id = police.pk if police is not None else None
        to_police = bool(codes & POLICE_MATTERS)
        if clock.imported() is None:  # a ledger's past is flagged, not alerted today
            transaction.on_commit(lambda: _alert(case.pk, reasons, to_police, police_id))


def _alert(case_id: int, reasons: list[str], to_police: bool, police_id: int | None) -> None:
    """人民调解法 art.25: tell the township (and the handling unit) at once, and the police
    station when the dispute may become a public-order or criminal case; when no station covers
    the place, the township is told to report it by telephone."""
    case = Case.objects.select_related("handling_org", "region").get(pk=case_id)
    title = gettext("Risk alert: %(number)s") % {"number": case.number}
    police = Organisation.objects.filter(pk=police_id).first() if police_id is not None else None
    body = [*reasons, _police_note(case, police)] if to_police else reasons
    for org in {o for o in (township_centre(case), case.handling_org) if o is not None}:
        notify_org(org=org, title=title, body="；".join(body), case=case)
    if police is not None:
        notify_org(
            org=police,
            title=gettext("Dispute that may become a public-order or criminal case: %(number)s")
            % {"number": case.number},
            body="；".join(
                [
                    gettext(
                        "Reported to you under 人民调解法 art.25: this dispute may become a "
                        "public-order or criminal case"
                    ),
                    f"{case.region.name}：{case.title}",
                    *reasons,
                ]
            ),
            case=case,
        )


RAISABLE = ("criminal", "mass", "extreme")
MAX_REASON = 500


def may_raise(actor: User, case: Case) -> bool:
    """Who learns of a new risk on an open case: whoever may register disputes at its place (the
    grid worker, the village committee) or mediate it where it is handled."""
    return case.is_open and (
        access.can(actor, Capability.CASE_REGISTER, prefix=case.place_prefix)
        or access.can(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    )


@transaction.atomic
def risk_raise(*, actor: User, case_id: int, flags: Sequence[str], reason: str) -> Case:
    """Raise 民转刑/群体性/极端 flags on an open case after registration, with what was learnt:
    the level goes to high, the timeline and audit record it, and the township, the handling
    unit and (for 民转刑/群体性) the covering police station are alerted after the commit, as at
    registration (人民调解法 art.25).

    Raises:
        NotFound: the case is outside the actor's view.
        PermissionDeniedError: the actor may neither register at its place nor mediate it.
        InvalidInput: the case is closed, no new flag is chosen, or the reason is missing.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    if not may_raise(actor, case):
        if not case.is_open:
            raise InvalidInput(gettext("A closed case takes no new risk flag."))
        raise PermissionDeniedError(gettext("You may not flag risks on this case."))
    errors: dict[str, list[str]] = {}
    chosen = set(flags)
    held = {"criminal": case.is_criminal_risk, "mass": case.is_mass, "extreme": case.is_extreme}
    if chosen - set(RAISABLE):
        errors["flags"] = [gettext("Choose a value from the list.")]
    elif not chosen - {code for code, on in held.items() if on}:
        errors["flags"] = [gettext("Choose a risk the case is not flagged with yet.")]
    reason = reason.strip()
    if not reason:
        errors["reason"] = [gettext("Say what was learnt that shows the risk.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [gettext("At most %(n)s characters.") % {"n": MAX_REASON}]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    codes = chosen - {code for code, on in held.items() if on}
    found = gettext("raised after registration: %(reason)s") % {"reason": reason}
    _apply(
        case, actor, codes, RiskLevel.HIGH, [f"{label(code)}：{found}" for code in sorted(codes)]
    )
    return case
