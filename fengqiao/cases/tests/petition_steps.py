"""Put a 信访 case where one of its stage actions can be recorded (the workflow tests)."""

from datetime import timedelta

from django.utils import timezone

from fengqiao.cases import clocks, deadlines
from fengqiao.cases.choices import Channel, DeadlineStage
from fengqiao.cases.models import Case, CaseDeadline


def ready_for_petition_step(case: Case, name: str) -> None:
    """The 信访 stages done before ``name`` (a transition of clocks.PETITION_STEPS)."""
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(channel=Channel.PETITION)
    case.channel = Channel.PETITION
    CaseDeadline.objects.filter(case=case).delete()
    order = [
        DeadlineStage.HANDLING,
        DeadlineStage.PETITION_REVIEW,
        DeadlineStage.PETITION_REREVIEW,
    ]
    before, stage, starts = clocks.PETITION_STEPS[name]
    running = before if starts else stage
    for done in order[: order.index(running) + 1]:
        row = (
            deadlines.stage_deadline(done, start=today)
            if done != DeadlineStage.HANDLING
            else CaseDeadline(stage=done, basis="信访工作条例第三十四条", started_on=today, days=60)
        )
        row.case, row.due_date = case, today + timedelta(days=30)
        row.met_on = today if (done != running or starts) else None
        row.save()
