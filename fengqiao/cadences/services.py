"""Missed meetings flagged to the responsible leader, once per missed due date."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cadences.models import CadenceRule, MissedMeeting
from fengqiao.core import clock
from fengqiao.notifications.services import notify
from fengqiao.patrols.models import Meeting


def due_on(rule: CadenceRule) -> date:
    """The day by which the next meeting is due: the last one held plus the interval (from the
    day the rule was set when none was held yet)."""
    last = Meeting.objects.filter(region=rule.region, cadence=rule.cadence).aggregate(
        last=Max("held_on")
    )["last"]
    start = last or timezone.localtime(rule.created_at).date()
    return start + timedelta(days=rule.max_days)


def missed_meetings_flag(*, actor: User, today: date | None = None) -> list[MissedMeeting]:
    """Flag every rule whose meeting is overdue and tell its leader; a rule already flagged for
    this due date is not flagged again (idempotent, safe to run often)."""
    today = today or clock.today()
    flagged = []
    for rule in CadenceRule.objects.filter(is_active=True).select_related("region", "leader"):
        due = due_on(rule)
        if today <= due:
            continue
        try:
            with transaction.atomic():
                miss = MissedMeeting.objects.create(rule=rule, due_on=due)
                record(
                    actor=actor,
                    action=AuditAction.RECORD_CREATED,
                    target=miss,
                    extra={"rule": rule.pk, "due_on": due.isoformat()},
                )
                notify(
                    recipients=[rule.leader],
                    title=gettext("{meeting} of {region} was due by {due} and not held").format(
                        meeting=rule.name, region=rule.region.name, due=due.isoformat()
                    ),
                    kind="cadences.missed",
                    url=reverse("cadences:index"),
                )
        except IntegrityError:
            continue  # flagged already for this due date
        flagged.append(miss)
    return flagged
