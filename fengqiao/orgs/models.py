"""Organisations that receive, handle and supervise disputes, each seated on a region."""

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from fengqiao.core.collation import SORT_KEY_MAX_LENGTH, pinyin_sort_key, with_name_key
from fengqiao.core.models import TimeStampedModel
from fengqiao.core.refcache import ReferenceData, ReferenceQuerySet
from fengqiao.orgs.choices import OrgKind, Specialty
from fengqiao.regions.choices import PREFIX_DIGITS


class OrganisationQuerySet(ReferenceQuerySet["Organisation"]):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def covering(self, prefix: str) -> "OrganisationQuerySet":
        """Organisations seated on the division ``prefix`` names or on one above it, the deepest
        first: a township's 派出所 before the county's 公安局, a village's before the township's.
        An organisation seated on a neighbouring division does not cover it."""
        ancestors = sorted({prefix[:n] for n in PREFIX_DIGITS.values() if n <= len(prefix)})
        return self.filter(region__prefix__in=ancestors).order_by(
            Length("region__prefix").desc(), "code"
        )


class Organisation(ReferenceData, TimeStampedModel):
    """A centre, committee, office, station, court or department seated on one division.

    Its ``code`` opens every case number it issues; its region decides whose jurisdiction its
    cases fall in.
    """

    name = models.CharField(_("name"), max_length=100)
    # ``core.collation.pinyin_sort_key(name)``, kept with the name by save(): lists order units
    # by it in SQL (issue #16).
    name_key = models.CharField(
        max_length=SORT_KEY_MAX_LENGTH, blank=True, default="", db_default="", editable=False
    )
    short_name = models.CharField(
        _("short name"),
        max_length=20,
        blank=True,
        help_text=_("X of its file numbers （2026）X人调字第N号; blank: name less 人民调解委员会"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind)
    specialty = models.CharField(_("specialty"), max_length=20, choices=Specialty, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("region"),
    )
    code = models.CharField(
        _("unit code"),
        max_length=20,
        unique=True,
        help_text=_("Opens every case number this unit issues, e.g. 430624122TJ."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrgKind.values), name="org_kind_known"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9A-Z]{4,20}$"), name="org_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = pinyin_sort_key(self.name)
        kwargs["update_fields"] = with_name_key(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def number_prefix(self) -> str:
        """The X of "（2026）X人调字第N号": the short name, else the name less its kind."""
        if self.short_name:
            return self.short_name
        return self.name.removesuffix("人民调解委员会").removesuffix("调解委员会") or self.name

    @property
    def level(self) -> int:
        return self.region.level


from fengqiao.orgs.roster import Mediator, MediatorConflict, MediatorKind, MediatorTraining  # noqa: E402

__all__ = [
    "Mediator",
    "MediatorConflict",
    "MediatorKind",
    "MediatorTraining",
    "Organisation",
    "OrganisationQuerySet",
]
