"""Forms of the patrols pages: parse and type the input; the rules live in the services, which
answer with field errors the views attach here (so a region outside the jurisdiction reaches the
service and is 404, never a "not a valid choice")."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts.models import User
from fengqiao.cases.selectors import case_list_for
from fengqiao.core.widgets import DateInput
from fengqiao.patrols.models import (
    Cadence,
    Decision,
    HazardLevel,
    HazardStatus,
    IncidentRisk,
    OpinionKind,
    PeriodKind,
    PublicAttitude,
)
from fengqiao.regions.models import Region

DATE_INPUT = DateInput()
RISK_POINT_ROWS = 5
OPINION_ROWS = 3
CASE_NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _choices(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", "—"), *choices]


def _select(choices: list[tuple[Any, Any]]) -> forms.Select:
    return forms.Select(choices=_choices(choices))


def _text(label: Any, rows: int = 3, max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE_INPUT)


def region_field(label: Any) -> forms.CharField:
    """A region code picked from a list; the list is set per actor, the service judges it."""
    return forms.CharField(label=label, required=False, widget=forms.Select())


def set_regions(form: forms.Form, regions: list[Region]) -> None:
    form.fields["region"].widget.choices = [(r.code, r.name) for r in regions]


def set_people(form: forms.Form, name: str, people: list[User]) -> None:
    choices = [(u.pk, u.full_name or u.username) for u in people]
    form.fields[name].widget.choices = _choices(choices)


class SpecialRoundForm(forms.Form):
    """专项排查: a topic and a date range over a township or a village."""

    region = region_field(_("Region"))
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    period_start = _date(_("Round starts on"))
    period_end = _date(_("Round ends on"))
    deadline = _date(_("Report deadline (the last day when empty)"))


class HazardUpdateForm(forms.Form):
    level = forms.CharField(
        label=pgettext_lazy("the grade of a hazard", "Level"),
        required=False,
        widget=_select(HazardLevel.choices),
    )
    status = forms.CharField(
        label=_("Status"), required=False, widget=_select(HazardStatus.choices)
    )
    responsible_id = forms.IntegerField(
        label=_("Person responsible"), required=False, widget=forms.Select()
    )
    measures = _text(_("Measures"), 3)
    note = forms.CharField(label=_("Note on this change"), required=False, max_length=300)


class SensitivePeriodForm(forms.Form):
    region = region_field(_("Region"))
    name = forms.CharField(label=_("Name of the period"), required=False, max_length=100)
    kind = forms.CharField(
        label=_("Kind of period"), required=False, widget=_select(PeriodKind.choices)
    )
    starts_on = _date(_("Starts on"))
    ends_on = _date(_("Ends on"))
    daily_reporting = forms.BooleanField(
        label=_("Villages report daily"), required=False, initial=True
    )


class AssessmentForm(forms.Form):
    """稳评: the matter, the findings that decide the level, risk points and opinions heard."""

    region = region_field(_("Region"))
    subject = forms.CharField(label=_("Decision or project"), required=False, max_length=200)
    deciding_body = forms.CharField(label=_("Deciding body"), required=False, max_length=100)
    assessor = forms.CharField(label=_("Assessing body"), required=False, max_length=100)
    summary = _text(_("Summary of the matter"), 3)
    attitude = forms.CharField(
        label=_("Public attitude"), required=False, widget=_select(PublicAttitude.choices)
    )
    incident_risk = forms.CharField(
        label=_("Incident risk"), required=False, widget=_select(IncidentRisk.choices)
    )
    contingency_plan = _text(_("Contingency plan"), 3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(RISK_POINT_ROWS):
            self.fields[f"risk_points-{i}-description"] = forms.CharField(
                label=_("Risk point"), required=False, max_length=300
            )
            self.fields[f"risk_points-{i}-measure"] = forms.CharField(
                label=_("Prevention measure"), required=False, max_length=300
            )
        for i in range(OPINION_ROWS):
            self.fields[f"opinions-{i}-kind"] = forms.CharField(
                label=_("How opinions were heard"),
                required=False,
                widget=_select(OpinionKind.choices),
            )
            self.fields[f"opinions-{i}-held_on"] = _date(_("Held on"))
            self.fields[f"opinions-{i}-participants"] = forms.CharField(
                label=_("Participants"), required=False, max_length=200
            )
            self.fields[f"opinions-{i}-summary"] = _text(_("Summary of opinions"), 2)

    def rows(self, name: str, count: int) -> list[list[forms.BoundField]]:
        """The bound fields of each row, for the template."""
        return [[f for f in self if f.name.startswith(f"{name}-{i}-")] for i in range(count)]

    def risk_point_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("risk_points", RISK_POINT_ROWS)

    def opinion_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("opinions", OPINION_ROWS)

    def _used(self, name: str, count: int) -> list[int]:
        """Rows with something in them (blank rows are the spare ones on the page)."""
        data = self.cleaned_data
        return [
            i
            for i in range(count)
            if any(v not in (None, "") for k, v in data.items() if k.startswith(f"{name}-{i}-"))
        ]

    def service_field_names(self) -> dict[str, str]:
        """The service numbers the rows it was given; the page numbers every row, spare ones
        included: map the service's field names onto the page's."""
        names = {"risk_points": "risk_points-0-description"}
        for name, count in (("risk_points", RISK_POINT_ROWS), ("opinions", OPINION_ROWS)):
            for given, row in enumerate(self._used(name, count)):
                for field in self.fields:
                    if field.startswith(f"{name}-{row}-"):
                        key = field.removeprefix(f"{name}-{row}-")
                        names[f"{name}-{given}-{key}"] = field
        return names

    def _row(self, name: str, i: int, *keys: str) -> list[Any]:
        return [self.cleaned_data.get(f"{name}-{i}-{k}") for k in keys]

    def risk_points(self) -> tuple[tuple[str, str], ...]:
        found = []
        for i in self._used("risk_points", RISK_POINT_ROWS):
            description, measure = self._row("risk_points", i, "description", "measure")
            found.append((description or "", measure or ""))
        return tuple(found)

    def opinions(self) -> tuple[tuple[str, date | None, str, str], ...]:
        found = []
        for i in self._used("opinions", OPINION_ROWS):
            kind, held_on, participants, summary = self._row(
                "opinions", i, "kind", "held_on", "participants", "summary"
            )
            found.append((kind or "", held_on, participants or "", summary or ""))
        return tuple(found)


class DecisionForm(forms.Form):
    """The deciding body's decision and the follow-up; the service judges it against the level."""

    decision = forms.CharField(label=_("Decision"), required=False, widget=forms.Select())
    note = _text(_("Reasons and conditions of the decision"), 3)
    followup = _text(_("Follow-up during implementation"), 3)

    def __init__(self, *args: Any, allowed: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [(c, label) for c, label in Decision.choices if allowed is None or c in allowed]
        self.fields["decision"].widget.choices = _choices(offered)


class MeetingForm(forms.Form):
    region = region_field(_("Region"))
    cadence = forms.CharField(
        label=_("Kind of meeting"), required=False, widget=_select(Cadence.choices)
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    held_on = _date(_("Held on"))
    attendees = _text(_("Attendees"), 2)
    minutes = _text(_("Minutes"), 6)
    case_numbers = _text(_("Case numbers on the agenda (one per line)"), 3)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_case_numbers(self) -> tuple[int, ...]:
        """Case numbers → ids, through the actor's own case scope: a case the actor may not see
        is answered exactly like one that does not exist."""
        numbers = [n for n in CASE_NUMBER_SEPARATORS.split(self.cleaned_data["case_numbers"]) if n]
        found = dict(
            case_list_for(actor=self.actor)
            .filter(number__in=numbers)
            .values_list("number", "pk")
            .order_by()
        )
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                gettext("No case numbered {numbers} that you may see.").format(
                    numbers="、".join(unknown)
                )
            )
        return tuple(dict.fromkeys(found[n] for n in numbers))


class MeetingTaskForm(forms.Form):
    decision = _text(_("Decision to carry out"), 2)
    owner_id = forms.IntegerField(label=_("Owner"), required=False, widget=forms.Select())
    due_on = _date(_("Deadline"))
