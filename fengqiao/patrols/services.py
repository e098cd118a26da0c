"""Every write of the patrols app: rounds, 排查表, 双背书, flags, hazards, 稳评 (meetings are in
``meetings.py``). Each is atomic, checked against the actor's jurisdiction and audited."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability, Role
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError
from fengqiao.intake.pipeline import register_dispute
from fengqiao.notifications.services import notify, notify_org
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.patrols.models import (
    Decision,
    Hazard,
    HazardChange,
    HazardLevel,
    HazardStatus,
    IncidentRisk,
    MissingReport,
    OpinionKind,
    OpinionRecord,
    PatrolEntry,
    PatrolReport,
    PatrolRound,
    PatrolSchedule,
    PatrolSignature,
    PeriodKind,
    PublicAttitude,
    RiskPoint,
    RoundKind,
    SensitivePeriod,
    SignSide,
    StabilityAssessment,
    StabilityLevel,
)
from fengqiao.regions.models import Region, RegionLevel

logger = logging.getLogger(__name__)


# --- notifications (supervision is below patrols: a plain import) ----------------------------


def alert_orgs_seated_in(*, org_region: Region, title: str, body: str) -> int:
    """Alert every active organisation seated on ``org_region`` (a township's centre, its
    司法所…) through supervision's inbox and channels. Returns how many were told."""
    orgs = list(Organisation.objects.filter(region=org_region, is_active=True))
    for org in orgs:
        notify_org(org=org, title=title, body=body)
    return len(orgs)


def alert_user(*, user: User, title: str, body: str) -> None:
    """Alert one person (a task owner, a meeting's convener) through supervision."""
    notify(recipients=[user], title=title, body=body)


def _region_in_scope(actor: User, cap: Capability, region: Region) -> None:
    """Out of the actor's reach reads as missing (404), never as forbidden."""
    if not access.can(actor, cap, prefix=region.prefix):
        raise NotFound(gettext("Not found."))


# --- rounds -----------------------------------------------------------------------------------


def _week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _month_of(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def _round_get_or_create(
    *, actor: User, kind: str, region: Region, start: date, end: date, deadline: date
) -> tuple[PatrolRound, bool]:
    existing = PatrolRound.objects.filter(kind=kind, region=region, period_start=start).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            rnd = PatrolRound.objects.create(
                kind=kind,
                region=region,
                period_start=start,
                period_end=end,
                deadline=deadline,
                created_by=actor,
            )
    except IntegrityError:  # a concurrent run made it first: still one per period
        return PatrolRound.objects.get(kind=kind, region=region, period_start=start), False
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=rnd, extra={"kind": kind})
    return rnd, True


@transaction.atomic
def rounds_generate(*, actor: User, on: date | None = None) -> list[PatrolRound]:
    """一周一排查、一月一汇总: for every active schedule, the current week's round per village and
    the current month's round for the township. Idempotent per period (unique constraint)."""
    on = on or clock.today()
    made: list[PatrolRound] = []
    for schedule in PatrolSchedule.objects.filter(is_active=True).select_related("region"):
        township = schedule.region
        w_start, w_end = _week_of(on)
        for village in Region.objects.filter(
            prefix__startswith=township.prefix, level=RegionLevel.VILLAGE
        ):
            rnd, created = _round_get_or_create(
                actor=actor,
                kind=RoundKind.WEEKLY,
                region=village,
                start=w_start,
                end=w_end,
                deadline=w_end + timedelta(days=schedule.grace_days),
            )
            if created:
                made.append(rnd)
        m_start, m_end = _month_of(on)
        rnd, created = _round_get_or_create(
            actor=actor,
            kind=RoundKind.MONTHLY,
            region=township,
            start=m_start,
            end=m_end,
            deadline=m_end + timedelta(days=schedule.grace_days),
        )
        if created:
            made.append(rnd)
    return made


@dataclass(frozen=True, slots=True)
class SpecialRoundDraft:
    region: str
    topic: str
    period_start: date | None
    period_end: date | None
    deadline: date | None = None


@transaction.atomic
def round_open_special(*, actor: User, draft: SpecialRoundDraft) -> PatrolRound:
    """A 专项排查 with a topic and a date range over a township or a village."""
    region = Region.objects.filter(code=draft.region).first()
    if region is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"region": [gettext("Unknown region.")]},
        )
    _region_in_scope(actor, Capability.CASE_VIEW, region)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=region.prefix)
    errors: dict[str, list[str]] = {}
    if not draft.topic.strip():
        errors["topic"] = [gettext("Enter the topic.")]
    if draft.period_start is None:
        errors["period_start"] = [gettext("Enter the start date.")]
    if draft.period_end is None:
        errors["period_end"] = [gettext("Enter the end date.")]
    elif draft.period_start and draft.period_end < draft.period_start:
        errors["period_end"] = [gettext("The end date is before the start date.")]
    if errors or draft.period_start is None or draft.period_end is None:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    rnd = PatrolRound.objects.create(
        kind=RoundKind.SPECIAL,
        region=region,
        topic=draft.topic.strip(),
        period_start=draft.period_start,
        period_end=draft.period_end,
        deadline=draft.deadline or draft.period_end,
        created_by=actor,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=rnd, extra={"kind": "special"})
    return rnd


@dataclass(frozen=True, slots=True)
class EntryDraft:
    checked_on: date | None
    checker: str
    situation: str
    measures: str = ""
    remarks: str = ""


@transaction.atomic
def report_file(
    *, actor: User, round_id: int, village: str, entries: list[EntryDraft]
) -> PatrolReport:
    """A village files its 排查表 for a round; no entries is the 零报告 (a report all the same)."""
    rnd = PatrolRound.objects.select_related("region").filter(pk=round_id).first()
    vil = Region.objects.filter(code=village, level=RegionLevel.VILLAGE).first()
    if rnd is None or vil is None or not vil.prefix.startswith(rnd.region.prefix):
        raise NotFound(gettext("Not found."))
    _region_in_scope(actor, Capability.CASE_VIEW, vil)
    access.require(actor, Capability.CASE_REGISTER, prefix=vil.prefix)
    errors: dict[str, list[str]] = {}
    for i, e in enumerate(entries):
        if e.checked_on is None:
            errors[f"entries-{i}-checked_on"] = [gettext("Enter the date of investigation.")]
        if not e.checker.strip():
            errors[f"entries-{i}-checker"] = [gettext("Enter the investigating unit or person.")]
        if not e.situation.strip():
            errors[f"entries-{i}-situation"] = [gettext("Describe the dispute situation.")]
    if PatrolReport.objects.filter(round=rnd, village=vil).exists():
        errors["village"] = [gettext("This village has already reported for this round.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    if any(e.checked_on is None for e in entries):  # reported above; narrows the type
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    report = PatrolReport.objects.create(
        round=rnd, village=vil, is_zero=not entries, filed_by=actor
    )
    for e in entries:
        PatrolEntry.objects.create(
            report=report,
            checked_on=cast(date, e.checked_on),  # validated above
            checker=e.checker.strip(),
            situation=e.situation.strip(),
            measures=e.measures.strip(),
            remarks=e.remarks.strip(),
        )
    MissingReport.objects.filter(round=rnd, village=vil).delete()  # a late report clears the flag
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=report,
        extra={"entries": len(entries), "zero": not entries},
    )
    return report


@transaction.atomic
def missing_reports_flag(*, actor: User, today: date | None = None) -> list[MissingReport]:
    """Flag every village that filed nothing (not even a zero report) by a round's deadline, once,
    and alert the township."""
    today = today or clock.today()
    flagged: list[MissingReport] = []
    for rnd in PatrolRound.objects.filter(deadline__lt=today).select_related("region"):
        filed = set(rnd.reports.values_list("village_id", flat=True))
        known = set(rnd.missing.values_list("village_id", flat=True))
        for village in rnd.expected_villages():
            if village.pk in filed or village.pk in known:
                continue
            flag = MissingReport.objects.create(round=rnd, village=village)
            record(actor=actor, action=AuditAction.RECORD_CREATED, target=flag)
            flagged.append(flag)
            township = village.parent or village
            title = gettext("Investigation report missing")
            body = gettext(
                "%(village)s has not reported for %(round)s (deadline %(deadline)s)."
            ) % {
                "village": village.name,
                "round": str(rnd),
                "deadline": rnd.deadline.isoformat(),
            }
            transaction.on_commit(
                partial(alert_orgs_seated_in, org_region=township, title=title, body=body)
            )
    return flagged


def _entry_for(actor: User, entry_id: int, cap: Capability) -> PatrolEntry:
    entry = (
        PatrolEntry.objects.select_related("report__village", "report__round")
        .select_for_update()
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(gettext("Not found."))
    _region_in_scope(actor, Capability.CASE_VIEW, entry.report.village)
    access.require(actor, cap, prefix=entry.report.village.prefix)
    return entry


@transaction.atomic
def entry_to_case(
    *,
    actor: User,
    entry_id: int,
    org_id: int,
    category: str,
    parties: tuple[PartyDraft, ...],
    title: str = "",
) -> Case:
    """One step from a 排查表 row to a registered case (channel "patrol"); the link is kept both
    ways (``entry.case`` / ``case.patrol_entry``)."""
    entry = _entry_for(actor, entry_id, Capability.CASE_REGISTER)
    if entry.case_id is not None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"entry": [gettext("This entry is already a case.")]},
        )
    draft = CaseDraft(
        org_id=org_id,
        title=(title or entry.situation[:40]).strip(),
        description=entry.situation,
        channel=Channel.PATROL,
        category=category.strip(),  # empty: the intake path classifies the situation's words
        region=entry.report.village.code,
        parties=parties,
        occurred_on=entry.checked_on,
        source_ref=f"patrol-entry-{entry.pk}",
    )
    case = register_dispute(actor=actor, draft=draft).case
    entry.case = case
    entry.save(update_fields=["case", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.CASE_LINKED,
        target=entry,
        changes={"case": [None, case.number]},
    )
    return case


def _may_sign(actor: User, side: str, village: Region) -> bool:
    """双背书 is signed by the two posts seed 000 names, each over this village: the police side
    by the head of a police station whose area covers it (派出所所长), the village side by the
    village's own party secretary (村（社区）党组织书记). A liaison, a mediator or any other
    village account may not sign for them."""
    for g in access.grants_for(actor):
        head = g.role == Role.POLICE_STATION_HEAD and g.org_kind == OrgKind.POLICE_STATION
        if side == SignSide.POLICE and head and village.prefix.startswith(g.prefix):
            return True
        secretary = g.role == Role.VILLAGE_SECRETARY and g.prefix == village.prefix
        if side == SignSide.VILLAGE and secretary:
            return True
    return False


def sides_to_sign(actor: User, report: PatrolReport) -> list[str]:
    """The 双背书 sides ``actor`` may still sign on ``report``: the round page offers only these
    buttons (issue #21: both were shown to everyone)."""
    signed = {s.side for s in report.signatures.all()}
    return [
        side
        for side in SignSide.values
        if side not in signed and _may_sign(actor, side, report.village)
    ]


@transaction.atomic
def report_countersign(*, actor: User, report_id: int, side: str) -> PatrolSignature:
    """双背书 (DOMAIN A4): 派出所所长 and 村党组织书记 each sign the village's results once."""
    report = PatrolReport.objects.select_related("village").filter(pk=report_id).first()
    if report is None:
        raise NotFound(gettext("Not found."))
    _region_in_scope(actor, Capability.CASE_VIEW, report.village)
    if side not in SignSide.values:
        raise InvalidInput(
            gettext("Please correct the errors below."), errors={"side": [gettext("Unknown side.")]}
        )
    if not _may_sign(actor, side, report.village):
        raise PermissionDeniedError(gettext("You are not allowed to do this here."))
    if report.signatures.filter(side=side).exists():
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"side": [gettext("This side has already signed.")]},
        )
    sig = PatrolSignature.objects.create(report=report, side=side, signer=actor)
    record(actor=actor, action=AuditAction.RECORD_CHANGED, target=report, extra={"signed": side})
    return sig


# --- risk register and sensitive periods ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HazardDraft:
    region: str
    title: str
    category: str
    people_count: int
    people_description: str
    level: str
    responsible_id: int | None
    measures: str = ""
    location: str = ""


@transaction.atomic
def hazard_register(*, actor: User, draft: HazardDraft) -> Hazard:
    region = Region.objects.filter(code=draft.region).first()
    if region is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"region": [gettext("Unknown region.")]},
        )
    _region_in_scope(actor, Capability.CASE_VIEW, region)
    access.require(actor, Capability.CASE_REGISTER, prefix=region.prefix)
    errors: dict[str, list[str]] = {}
    if not draft.title.strip():
        errors["title"] = [gettext("Enter the title.")]
    if not draft.category.strip():
        errors["category"] = [gettext("Enter the category.")]
    if draft.level not in HazardLevel.values:
        errors["level"] = [gettext("Choose a level.")]
    if draft.people_count < 0:
        errors["people_count"] = [gettext("Enter a number of people, zero or more.")]
    if not draft.people_description.strip():
        errors["people_description"] = [gettext("Describe the people involved.")]
    responsible = (
        User.objects.filter(pk=draft.responsible_id, is_active=True).first()
        if draft.responsible_id is not None
        else None
    )
    if responsible is None:
        errors["responsible_id"] = [gettext("Choose the person responsible.")]
    if errors or responsible is None:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    hazard = Hazard.objects.create(
        region=region,
        title=draft.title.strip(),
        category=draft.category.strip(),
        location=draft.location.strip(),
        people_count=draft.people_count,
        people_description=draft.people_description.strip(),
        level=draft.level,
        responsible=responsible,
        measures=draft.measures.strip(),
        created_by=actor,
    )
    HazardChange.objects.create(
        hazard=hazard,
        level=hazard.level,
        status=hazard.status,
        measures=hazard.measures,
        responsible=responsible,
        note=gettext("Registered"),
        actor=actor,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=hazard)
    return hazard


@transaction.atomic
def hazard_update(
    *,
    actor: User,
    hazard_id: int,
    level: str,
    status: str,
    measures: str,
    note: str = "",
    responsible_id: int | None = None,
) -> Hazard:
    """Change level, status, measures or (with ``responsible_id``) the person responsible; each
    change appends a history row.

    Raises:
        NotFound: no such hazard, or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not register there.
        InvalidInput: an unknown level or status, or an inactive person responsible.
    """
    hazard = (
        Hazard.objects.select_for_update().select_related("region").filter(pk=hazard_id).first()
    )
    if hazard is None:
        raise NotFound(gettext("Not found."))
    _region_in_scope(actor, Capability.CASE_VIEW, hazard.region)
    access.require(actor, Capability.CASE_REGISTER, prefix=hazard.region.prefix)
    errors: dict[str, list[str]] = {}
    if level not in HazardLevel.values:
        errors["level"] = [gettext("Choose a level.")]
    if status not in HazardStatus.values:
        errors["status"] = [gettext("Choose a status.")]
    responsible = hazard.responsible
    if responsible_id is not None and responsible_id != hazard.responsible_id:
        found = User.objects.filter(pk=responsible_id, is_active=True).first()
        if found is None:
            errors["responsible_id"] = [gettext("Choose the person responsible.")]
        else:
            responsible = found
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    changes: dict[str, list[object]] = {
        k: [getattr(hazard, k), v]
        for k, v in (("level", level), ("status", status), ("measures", measures.strip()))
        if getattr(hazard, k) != v
    }
    if responsible.pk != hazard.responsible_id:
        changes["responsible"] = [hazard.responsible.get_username(), responsible.get_username()]
    if not changes:
        return hazard
    hazard.level, hazard.status, hazard.measures = level, status, measures.strip()
    hazard.responsible = responsible
    hazard.save(update_fields=["level", "status", "measures", "responsible", "updated_at"])
    HazardChange.objects.create(
        hazard=hazard,
        level=level,
        status=status,
        measures=hazard.measures,
        responsible=responsible,
        note=note.strip()[:300],
        actor=actor,
    )
    record(actor=actor, action=AuditAction.RECORD_CHANGED, target=hazard, changes=changes)
    return hazard


@transaction.atomic
def sensitive_period_add(
    *,
    actor: User,
    region: str,
    name: str,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    daily_reporting: bool = True,
) -> SensitivePeriod:
    """A period (村两委换届, 春节前欠薪, holidays, 两会) that raises the sweep: a special round over
    the region for the whole period, reported daily while ``daily_reporting``.

    Raises:
        InvalidInput: unknown region, no name, unknown kind, missing or reversed dates.
        NotFound: the region is outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not supervise there.
    """
    reg = Region.objects.filter(code=region).first()
    if reg is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"region": [gettext("Unknown region.")]},
        )
    _region_in_scope(actor, Capability.CASE_VIEW, reg)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=reg.prefix)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [gettext("Enter the name.")]
    if kind not in PeriodKind.values:
        errors["kind"] = [gettext("Choose the kind of period.")]
    if starts_on is None:
        errors["starts_on"] = [gettext("Enter the start date.")]
    if ends_on is None:
        errors["ends_on"] = [gettext("Enter the end date.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [gettext("The end date is before the start date.")]
    if errors or starts_on is None or ends_on is None:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    period = SensitivePeriod.objects.create(
        region=reg,
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        daily_reporting=daily_reporting,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=period)
    return period


@transaction.atomic
def sensitive_rounds_generate(*, actor: User, on: date | None = None) -> list[PatrolRound]:
    """While a sensitive period is active: one special round per day (daily reporting) or one for
    the whole period; idempotent per period and day."""
    on = on or clock.today()
    made: list[PatrolRound] = []
    for period in SensitivePeriod.objects.filter(starts_on__lte=on, ends_on__gte=on):
        start, end = (on, on) if period.daily_reporting else (period.starts_on, period.ends_on)
        if PatrolRound.objects.filter(
            kind=RoundKind.SPECIAL, sensitive_period=period, period_start=start
        ).exists():
            continue
        rnd = PatrolRound.objects.create(
            kind=RoundKind.SPECIAL,
            region=period.region,
            topic=period.name,
            period_start=start,
            period_end=end,
            deadline=end,
            sensitive_period=period,
            created_by=actor,
        )
        record(
            actor=actor, action=AuditAction.RECORD_CREATED, target=rnd, extra={"kind": "special"}
        )
        made.append(rnd)
    return made


# --- 稳评 -------------------------------------------------------------------------------------


def stability_level(attitude: str, incident_risk: str) -> str:
    """The level by 发改投资〔2012〕2492号 art.4 (DOMAIN §7.1): 高 when most of the public object
    very strongly or a large-scale mass incident is possible; 中 when part object strongly or
    conflicts are possible; otherwise 低 (most understand and support, a few object)."""
    if attitude == PublicAttitude.MOST_OBJECT or incident_risk == IncidentRisk.MASS:
        return StabilityLevel.HIGH
    if attitude == PublicAttitude.PART_OBJECT or incident_risk == IncidentRisk.CONFLICT:
        return StabilityLevel.MEDIUM
    return StabilityLevel.LOW


@dataclass(frozen=True, slots=True)
class LevelBasis:
    """Why an assessment has its level: the findings that decided it and the rule they meet."""

    level: str
    findings: tuple[str, ...]
    rule: str
    source: str


def stability_level_basis(attitude: str, incident_risk: str) -> LevelBasis:
    """The level ``stability_level`` gives, with the findings that decided it and the rule of
    发改投资〔2012〕2492号 art.4 they meet, in the user's language (for the 稳评 page)."""
    level = stability_level(attitude, incident_risk)
    labels = dict(PublicAttitude.choices) | dict(IncidentRisk.choices)
    if level == StabilityLevel.HIGH:
        decisive = {PublicAttitude.MOST_OBJECT, IncidentRisk.MASS}
        rule = gettext(
            "High risk when most of the public object very strongly, or a large-scale mass "
            "incident is possible."
        )
    elif level == StabilityLevel.MEDIUM:
        decisive = {PublicAttitude.PART_OBJECT, IncidentRisk.CONFLICT}
        rule = gettext(
            "Medium risk when part of the public objects strongly, or conflicts are possible."
        )
    else:
        decisive = {PublicAttitude.MOST_SUPPORT, IncidentRisk.NONE}
        rule = gettext(
            "Low risk when most understand and support, a few object, and the risk is "
            "manageable with effective work."
        )
    findings = tuple(str(labels[v]) for v in (attitude, incident_risk) if v in decisive)
    source = gettext("NDRC interim measures on social stability risk assessment, article 4")
    return LevelBasis(level=level, findings=findings, rule=rule, source=source)


# Which decisions a level allows. 重大行政决策程序暂行条例 art.24: the risk must be controllable
# before the 决策机关 decides, otherwise the draft is adjusted (postponed) or dropped; 发改投资
# 〔2012〕2492号 art.7: 高 or 中 is not approved as it stands, 低 may be, with risk-control
# requirements.
ALLOWED_DECISIONS: dict[str, set[str]] = {
    StabilityLevel.HIGH: {Decision.POSTPONE, Decision.REJECT},
    StabilityLevel.MEDIUM: {Decision.WITH_MEASURES, Decision.POSTPONE, Decision.REJECT},
    StabilityLevel.LOW: {str(d) for d in Decision.values},
}


@dataclass(frozen=True, slots=True)
class AssessmentDraft:
    region: str
    subject: str
    deciding_body: str
    assessor: str
    attitude: str
    incident_risk: str
    summary: str = ""
    contingency_plan: str = ""
    risk_points: tuple[tuple[str, str], ...] = ()  # (risk point, prevention measure)
    opinions: tuple[tuple[str, date | None, str, str], ...] = ()  # kind, held on, who, summary


@transaction.atomic
def assessment_create(*, actor: User, draft: AssessmentDraft) -> StabilityAssessment:
    """A 稳评 of a major decision or project in the actor's area: risk points, opinions heard and
    the two findings from which ``stability_level`` computes the level.

    Raises:
        InvalidInput: unknown region, missing fields, no risk point, incomplete rows.
        NotFound: the region is outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not supervise there.
    """
    reg = Region.objects.filter(code=draft.region).first()
    if reg is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"region": [gettext("Unknown region.")]},
        )
    _region_in_scope(actor, Capability.CASE_VIEW, reg)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=reg.prefix)
    errors: dict[str, list[str]] = {}
    for field_name in ("subject", "deciding_body", "assessor"):
        if not getattr(draft, field_name).strip():
            errors[field_name] = [gettext("This field is required.")]
    if draft.attitude not in PublicAttitude.values:
        errors["attitude"] = [gettext("Choose the public attitude.")]
    if draft.incident_risk not in IncidentRisk.values:
        errors["incident_risk"] = [gettext("Choose the incident risk.")]
    if not draft.risk_points:
        errors["risk_points"] = [gettext("List at least one risk point.")]
    for i, (point, _measure) in enumerate(draft.risk_points):
        if not point.strip():
            errors[f"risk_points-{i}-description"] = [gettext("Describe the risk point.")]
    for i, (kind, held_on, participants, summary) in enumerate(draft.opinions):
        if kind not in OpinionKind.values:
            errors[f"opinions-{i}-kind"] = [gettext("Choose how opinions were heard.")]
        if held_on is None:
            errors[f"opinions-{i}-held_on"] = [gettext("Enter the date.")]
        if not participants.strip():
            errors[f"opinions-{i}-participants"] = [gettext("Enter who took part.")]
        if not summary.strip():
            errors[f"opinions-{i}-summary"] = [gettext("Summarise the opinions heard.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    a = StabilityAssessment.objects.create(
        region=reg,
        subject=draft.subject.strip(),
        deciding_body=draft.deciding_body.strip(),
        assessor=draft.assessor.strip(),
        summary=draft.summary.strip(),
        attitude=draft.attitude,
        incident_risk=draft.incident_risk,
        level=stability_level(draft.attitude, draft.incident_risk),
        contingency_plan=draft.contingency_plan.strip(),
        created_by=actor,
    )
    for point, measure in draft.risk_points:
        RiskPoint.objects.create(assessment=a, description=point.strip(), measure=measure.strip())
    for kind, held_on, participants, summary in draft.opinions:
        OpinionRecord.objects.create(
            assessment=a,
            kind=kind,
            held_on=cast(date, held_on),  # validated above
            participants=participants.strip(),
            summary=summary.strip(),
        )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=a, extra={"level": a.level})
    return a


@transaction.atomic
def assessment_decide(
    *, actor: User, assessment_id: int, decision: str, note: str = "", followup: str = ""
) -> StabilityAssessment:
    a = (
        StabilityAssessment.objects.select_for_update()
        .select_related("region")
        .filter(pk=assessment_id)
        .first()
    )
    if a is None:
        raise NotFound(gettext("Not found."))
    _region_in_scope(actor, Capability.CASE_VIEW, a.region)
    access.require(actor, Capability.CASE_SUPERVISE, prefix=a.region.prefix)
    if decision not in ALLOWED_DECISIONS.get(a.level, set()):
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"decision": [gettext("This decision is not allowed at this risk level.")]},
        )
    a.decision, a.decision_note, a.followup = decision, note.strip(), followup.strip()
    a.decided_at = clock.now()
    a.save(update_fields=["decision", "decision_note", "followup", "decided_at", "updated_at"])
    record(actor=actor, action=AuditAction.RECORD_CHANGED, target=a, changes={"decision": decision})
    return a
