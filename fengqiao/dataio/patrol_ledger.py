"""The 排查台账 (DOMAIN A4: 排查时间、村名、排查单位或排查人、矛盾情况、化解措施、备注): every
entry the villages filed in their 排查 rounds, with the round and the case an entry became. Zero
reports are rows too (排查无矛盾纠纷), so an inspector sees that a village did look."""

from typing import Any

from django import forms
from django.db.models import CharField, F, QuerySet, Value
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.core.widgets import DateInput
from fengqiao.dataio.case_ledgers import label
from fengqiao.dataio.ledgers import Column, Ledger
from fengqiao.patrols.models import PatrolEntry, PatrolReport, RoundKind
from fengqiao.regions.models import within_q

ZERO = "排查无矛盾纠纷（零报告）"


def _date(value: Any) -> str:
    return value.isoformat() if value else ""  # inside the round's text; the date column is native


PATROLS = Ledger(
    code="patrols",
    title=_("Dispute investigation ledger (排查台账)"),
    description=_(
        "Every entry of every village's investigation round, zero reports included, and the case "
        "an entry became."
    ),
    columns=(
        Column(_("Date of investigation"), lambda r: r["checked_on"], 12),
        Column(
            pgettext_lazy("the village column of an investigation form", "Village"),
            lambda r: r["village_name"],
            14,
        ),
        Column(_("Investigating unit or person"), lambda r: r["checker"], 16),
        Column(_("Dispute situation"), lambda r: r["situation"][:500], 40),
        Column(_("Resolution measures"), lambda r: r["measures"][:500], 32),
        Column(_("Remarks"), lambda r: r["remarks"], 16),
        Column(
            _("Round"),
            lambda r: f"{label(RoundKind, r['kind'])} {_date(r['start'])}—{_date(r['end'])}",
            24,
        ),
        Column(_("Case number"), lambda r: r["case_number"] or "", 22),
    ),
)


class PatrolFilterForm(forms.Form):
    created_from = forms.DateField(
        label=_("investigated from"),
        required=False,
        widget=DateInput(),
    )
    created_to = forms.DateField(label=_("investigated to"), required=False, widget=DateInput())
    region = forms.RegexField(
        label=_("division code"),
        regex=r"^\d{6,12}$",
        required=False,
        error_messages={"invalid": _("Enter a division code of 6 to 12 digits.")},
    )
    kind = forms.ChoiceField(
        label=_("round"), required=False, choices=[("", "—"), *RoundKind.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and end < start:
            self.add_error("created_to", _("The end date is before the start date."))
        return data


def entry_select(data: QueryDict | None, actor: User) -> tuple[forms.Form, QuerySet[Any] | None]:
    """The reports of the villages the viewer may see (their case-viewing jurisdiction)."""
    form = PatrolFilterForm(data or None)
    if form.is_bound and not form.is_valid():
        return form, None
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    reports = PatrolReport.objects.filter(within_q("village__code", prefixes))
    values = form.cleaned_data if form.is_bound else {}
    if values.get("region"):
        reports = reports.filter(village__code__startswith=values["region"].rstrip("0") or "0")
    if values.get("kind"):
        reports = reports.filter(round__kind=values["kind"])
    if values.get("created_from"):
        reports = reports.filter(round__period_end__gte=values["created_from"])
    if values.get("created_to"):
        reports = reports.filter(round__period_start__lte=values["created_to"])
    return form, reports


def entry_values(reports: QuerySet[PatrolReport]) -> QuerySet[Any]:
    """One row per entry, and one per zero report, in the order the rounds ran."""
    entries = (
        PatrolEntry.objects.filter(report__in=reports)
        .order_by()
        .values(
            "id",
            "checked_on",
            "checker",
            "situation",
            "measures",
            "remarks",
            village_name=F("report__village__name"),
            kind=F("report__round__kind"),
            start=F("report__round__period_start"),
            end=F("report__round__period_end"),
            case_number=F("case__number"),
        )
    )
    zeros = (
        reports.filter(is_zero=True)
        .order_by()
        .values(
            "id",
            checked_on=F("filed_at__date"),
            checker=F("filed_by__full_name"),
            situation=_text(ZERO),
            measures=_text(""),
            remarks=_text(""),
            village_name=F("village__name"),
            kind=F("round__kind"),
            start=F("round__period_start"),
            end=F("round__period_end"),
            case_number=_text(None),
        )
    )
    return entries.union(zeros, all=True).order_by("start", "village_name", "checked_on", "id")


def _text(value: str | None) -> Value:
    return Value(value, output_field=CharField())
