"""What the portal reads: the townships that take online applications (an active "online"
channel endpoint with a working service account), their villages, and a case's public progress
— milestones in plain words, never internal notes, staff names or other parties' data."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import OPEN_STATUSES, Action, CaseStatus, Channel, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.privacy import selectors as privacy
from fengqiao.privacy.models import Consent, ConsentPurpose
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region


def _online_endpoints():  # type: ignore[no-untyped-def]
    return ChannelEndpoint.objects.select_related("org", "org__region", "service_user").filter(
        channel=Channel.ONLINE, is_active=True, service_user__is_active=True
    )


def townships_open() -> list[Region]:
    """Townships a citizen can apply to online, by name."""
    codes = {
        e.org.region.code[:9]
        for e in _online_endpoints()
        if e.org.region.level >= RegionLevel.TOWNSHIP
    }
    return list(
        Region.objects.filter(
            code__in=[c + "000" for c in codes], level=RegionLevel.TOWNSHIP
        ).order_by("code")
    )


def endpoint_for_township(code: str) -> ChannelEndpoint | None:
    """The "online" endpoint of a township: the portal registers through its service account.
    The one whose organisation sits at the township itself wins over one in a village."""
    if not (len(code) == 12 and code.isdigit() and code.endswith("000")):
        return None
    township = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
    if township is None:
        return None
    candidates = [e for e in _online_endpoints() if e.org.region.code.startswith(code[:9])]
    candidates.sort(key=lambda e: (e.org.region.level, e.pk))
    return candidates[0] if candidates else None


def villages_of(township_code: str) -> list[Region]:
    if not (len(township_code) == 12 and township_code.isdigit()):
        return []
    return list(
        Region.objects.filter(parent__code=township_code, level=RegionLevel.VILLAGE).order_by(
            "code"
        )
    )


def village_in(township_code: str, village_code: str) -> Region | None:
    return next((v for v in villages_of(township_code) if v.code == village_code), None)


# What each status means to the applicant.
_PLAIN_STATUS = {
    CaseStatus.REGISTERED: _("Your application has been received and is waiting to be accepted."),
    CaseStatus.ACCEPTED: _("Your application has been accepted."),
    CaseStatus.DECLINED: _("Your application was not accepted for mediation."),
    CaseStatus.ASSIGNED: _("A mediation unit has been given your case."),
    CaseStatus.MEDIATING: _("Mediation is under way."),
    CaseStatus.RESOLVED: _("The parties reached an agreement."),
    CaseStatus.TERMINATED: _("Mediation ended without agreement."),
    CaseStatus.TRANSFERRING: _("Your case is being passed to another unit."),
    CaseStatus.WITHDRAWN: _("The application was withdrawn."),
    CaseStatus.CLOSED: _("The case is closed."),
}


def plain_status(status: str) -> str:
    text = _PLAIN_STATUS.get(CaseStatus(status)) if status in CaseStatus.values else None
    return str(text) if text else status


@dataclass(frozen=True, slots=True)
class Milestone:
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class Progress:
    """A case as the applicant sees it."""

    number: str
    status_text: str
    is_open: bool
    has_outcome: bool
    unit: str
    milestones: list[Milestone]
    files: int


def handling_case(case: Case) -> Case:
    """The case that handles the applicant's dispute: after 并案 it is the primary case, whose
    status and outcome are the applicant's (issue #21: a merged application read "已办结")."""
    seen = {case.pk}
    while case.merged_into_id is not None and case.merged_into_id not in seen:
        seen.add(case.merged_into_id)
        case = Case.objects.select_related("handling_org").get(pk=case.merged_into_id)
    return case


def progress_for(case: Case) -> Progress:
    """Public milestones only: registration, acceptance, the unit the case went to, mediation
    and the outcome, followed into the primary case after a merge. Notes, who did it and other
    parties stay inside."""
    milestones: list[Milestone] = []
    primary = handling_case(case)
    _milestones_of(case, milestones, merged=primary.pk != case.pk)
    if primary.pk != case.pk:
        merged_at = milestones[-1].at if milestones else case.status_changed_at
        milestones.append(
            Milestone(
                merged_at, gettext("Handled together with another application of the same dispute")
            )
        )
        _milestones_of(primary, milestones, merged=False, after=merged_at)
    return Progress(
        number=primary.number,
        status_text=plain_status(primary.status),
        is_open=primary.status in OPEN_STATUSES,
        has_outcome=bool(primary.outcome),
        unit=primary.handling_org.name,
        milestones=milestones,
        files=case.attachments.count()
        + (primary.attachments.count() if primary.pk != case.pk else 0),
    )


def _milestones_of(
    case: Case, milestones: list[Milestone], *, merged: bool, after: datetime | None = None
) -> None:
    events = CaseEvent.objects.select_related("org").filter(
        case=case, kind__in=[EventKind.REGISTERED, EventKind.TRANSITIONED]
    )
    if after is not None:
        events = events.filter(occurred_at__gt=after)
    for event in events.order_by("seq"):
        if merged and event.data.get("transition") == Action.MERGE:
            continue  # said once, as "handled together", not as "closed"
        if event.kind == EventKind.REGISTERED:
            milestones.append(Milestone(event.occurred_at, gettext("Application registered")))
            continue
        to = str(event.data.get("to", ""))
        if event.data.get("from") == to:
            continue
        if to == CaseStatus.ACCEPTED:
            text = gettext("Accepted by {unit}").format(unit=event.org.name)
        elif to == CaseStatus.ASSIGNED:
            text = gettext("Assigned to {unit}").format(unit=event.org.name)
        elif to == CaseStatus.TRANSFERRING:
            text = gettext("Passed on to another unit")
        elif to in CaseStatus.values:
            text = plain_status(to)
        else:
            continue
        milestones.append(Milestone(event.occurred_at, text))


def consents_missing(phone_idx: str, purposes: tuple[str, ...]) -> list[str]:
    """Which of ``purposes`` have no current consent for this phone: the boxes a form shows."""
    notice = privacy.notice_current()
    return [
        p
        for p in purposes
        if privacy.consent_current(phone_idx=phone_idx, purpose=p, notice=notice) is None
    ]


def consent_withdrawn(phone_idx: str) -> Consent | None:
    """The applicant's withdrawn consent to the online application, if none was given since:
    the case page tells the handling unit."""
    return privacy.withdrawn(phone_idx=phone_idx, purpose=ConsentPurpose.MEDIATION)
