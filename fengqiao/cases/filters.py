"""The one definition of case-list filtering, shared by the list page and the API."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import refdata
from fengqiao.cases.choices import CaseStatus, Channel
from fengqiao.cases.selectors import CaseFilters, CaseOrder
from fengqiao.core import refcache
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region, within_q

REGION_OPTIONS = 500


def _region_options(prefixes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    regions = Region.objects.filter(within_q("prefix", list(prefixes))).order_by("code")
    return tuple(regions[:REGION_OPTIONS].values_list("code", "name"))


def region_options(prefixes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The (code, name) of the first places, by code, in the subtrees ``prefixes``: the same for
    everyone with the same jurisdiction, so kept in memory (``core.refcache``)."""
    return refcache.cached(("cases.region_options", prefixes), lambda: _region_options(prefixes))


class CaseFilterForm(forms.Form):
    """Parses query parameters into ``CaseFilters``; invalid values give field errors (never
    ignored)."""

    status = forms.MultipleChoiceField(
        label=_("status"), choices=CaseStatus.choices, required=False
    )
    channel = forms.MultipleChoiceField(label=_("channel"), choices=Channel.choices, required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    level = forms.TypedChoiceField(
        label=_("handling level"),
        choices=[("", "—"), *RegionLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    region = forms.RegexField(
        label=_("place"),
        regex=r"^\d{2,12}$",
        required=False,
        error_messages={"invalid": _("Enter a division code of 2 to 12 digits.")},
    )
    created_from = forms.DateField(label=_("registered from"), required=False)
    created_to = forms.DateField(label=_("registered to"), required=False)
    overdue = forms.TypedChoiceField(
        label=_("overdue"),
        choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
    )
    q = forms.CharField(label=_("search"), max_length=100, required=False, strip=True)
    mine = forms.BooleanField(label=_("assigned to me"), required=False)
    order = forms.ChoiceField(
        label=_("order"),
        choices=[
            (CaseOrder.NEWEST, _("newest first")),
            (CaseOrder.UNIT, _("handling organisation, by pinyin")),
            (CaseOrder.PLACE, _("place, by pinyin")),
            (CaseOrder.PARTY, _("first party, by pinyin")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, actor: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = refdata.categories().active()
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # noqa: S101  declared above
        category.choices = [("", "—")] + [
            (c.code, f"{c.parent.name} › {c.name}" if c.parent else c.name) for c in categories
        ]
        if actor is not None:  # the page offers the places the actor can see, by name
            prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
            self.fields["region"].widget = forms.Select(
                choices=[("", "—"), *region_options(tuple(prefixes))]
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date is before the start date."))
        return cleaned

    def to_filters(self) -> CaseFilters:
        data = self.cleaned_data
        region = data.get("region") or ""
        return CaseFilters(
            statuses=tuple(data.get("status") or ()),
            channels=tuple(data.get("channel") or ()),
            category=data.get("category") or "",
            level=data.get("level"),
            region_prefix=_region_prefix(region),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            overdue=data.get("overdue"),
            text=data.get("q") or "",
            mine=bool(data.get("mine")),
            order=data.get("order") or "",
        )


def _region_prefix(code: str) -> str:
    """A full 12-digit code stands for its subtree: strip the zero padding of its level."""
    if len(code) != 12:
        return code
    for digits in (2, 4, 6, 9):
        if not code[digits:].strip("0"):
            return code[:digits]
    return code
