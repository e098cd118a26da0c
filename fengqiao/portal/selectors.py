"""What the portal reads: the townships that take online applications (an active "online"
channel endpoint with a working service account), their villages, and a case's public progress
— milestones in plain words, never internal notes, staff names or other parties' data."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import OPEN_STATUSES, CaseStatus, Channel, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.intake.models import ChannelEndpoint
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


def progress_for(case: Case) -> Progress:
    """Public milestones only: registration, acceptance, the unit the case went to, mediation
    and the outcome. Notes, who did it and other parties stay inside."""
    milestones: list[Milestone] = []
    events = CaseEvent.objects.select_related("org").filter(
        case=case, kind__in=[EventKind.REGISTERED, EventKind.TRANSITIONED]
    )
    for event in events.order_by("seq"):
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
    return Progress(
        number=case.number,
        status_text=plain_status(case.status),
        is_open=case.status in OPEN_STATUSES,
        has_outcome=bool(case.outcome),
        unit=case.handling_org.name,
        milestones=milestones,
        files=case.attachments.count(),
    )
