"""The 回访台账 (follow-up ledger, DOMAIN A4/A7): every scheduled and recorded 回访 of the chosen
cases, read from the follow-ups themselves."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case
from fengqiao.dataio.case_ledgers import label
from fengqiao.dataio.ledgers import Column, Ledger
from fengqiao.mediation.choices import FollowUpState, Satisfaction
from fengqiao.mediation.models import FollowUp


def _yes_no(value: bool | None) -> str:
    return {True: "是", False: "否", None: ""}[value]


FOLLOW_UPS = Ledger(
    code="follow_ups",
    title=_("Follow-up visit ledger (回访台账)"),
    description=_("Every follow-up visit after an agreement: when, how, outcome and satisfaction."),
    columns=(
        Column(_("Case number"), lambda r: r["case__number"], 22),
        Column(_("Title"), lambda r: r["case__title"], 24),
        Column(_("Due on"), lambda r: r["due_on"], 12),
        Column(_("Visited on"), lambda r: r["done_on"], 12),
        Column(_("State"), lambda r: label(FollowUpState, r["state"]), 8),
        Column(_("Method"), lambda r: r["method"], 10),
        Column(_("Outcome"), lambda r: r["outcome"][:300], 36),
        Column(
            _("Satisfaction"),
            lambda r: label(Satisfaction, r["satisfaction"]) if r["satisfaction"] else "",
            10,
        ),
        Column(_("Term performed"), lambda r: _yes_no(r["term_performed"]), 10),
        Column(
            _("Visited by"),
            lambda r: r["recorded_by__full_name"] or r["recorded_by__username"] or "",
            10,
        ),
    ),
)


def follow_up_values(cases: QuerySet[Case]) -> QuerySet[Any]:
    return (
        FollowUp.objects.filter(case__in=cases)
        .order_by("due_on", "id")
        .values(
            "id",
            "case__number",
            "case__title",
            "due_on",
            "done_on",
            "state",
            "method",
            "outcome",
            "satisfaction",
            "term_performed",
            "recorded_by__full_name",
            "recorded_by__username",
        )
    )
