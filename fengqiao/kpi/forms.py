"""The region and period a KPI page shows."""

import calendar
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.core.widgets import DateInput
from fengqiao.kpi.periods import Period
from fengqiao.regions.models import Region

DATE_INPUT = DateInput()


def _parts() -> list[tuple[str, str]]:
    return [
        ("", gettext("Whole year")),
        *[(f"Q{q}", gettext("Quarter %(q)s") % {"q": q}) for q in range(1, 5)],
        *[(f"M{m:02d}", gettext("%(m)s month") % {"m": m}) for m in range(1, 13)],
    ]


class PeriodForm(forms.Form):
    region = forms.ChoiceField(label=_("region"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    part = forms.ChoiceField(label=_("period"), required=False)
    # Contexts: bare "from"/"to" are other apps' words too (来自, 承办), issue #21.
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "from"), required=False, widget=DATE_INPUT
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "to"), required=False, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)  # noqa: S101  declared above
        region_field.choices = [
            (r.code, "　" * max(r.level - regions[0].level, 0) + r.name) for r in regions
        ]
        part_field = self.fields["part"]
        assert isinstance(part_field, forms.ChoiceField)  # noqa: S101  declared above
        part_field.choices = _parts()
        self.fields["year"].initial = clock.today().year
        if regions:
            self.fields["region"].initial = regions[0].code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if (start is None) != (end is None):
            self.add_error("date_to" if end is None else "date_from", gettext("Give both dates."))
        elif start and end and end < start:
            self.add_error("date_to", gettext("The end is before the start."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to"):
            return Period(data["date_from"], data["date_to"])
        year, part = data["year"], data.get("part") or ""
        if part.startswith("Q"):
            quarter = int(part[1:])
            first = 3 * quarter - 2
            return Period(
                date(year, first, 1),
                date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
            )
        if part.startswith("M"):
            month = int(part[1:])
            return Period(
                date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
            )
        return Period(date(year, 1, 1), date(year, 12, 31))
