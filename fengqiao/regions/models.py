"""Administrative divisions by 12-digit statistical code, and the grids (网格) inside villages."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.core import clock
from fengqiao.core.collation import SORT_KEY_MAX_LENGTH, pinyin_sort_key, with_name_key
from fengqiao.core.models import TimeStampedModel
from fengqiao.core.refcache import ReferenceData, ReferenceQuerySet
from fengqiao.regions.choices import PREFIX_DIGITS, RegionLevel


def prefix_of(code: str, level: int) -> str:
    """The significant leading digits of ``code`` at ``level``: a subtree is every code with
    them."""
    return code[: PREFIX_DIGITS[level]]


def within_q(field: str, prefixes: Iterable[str]) -> Q:
    """``Q`` matching rows whose ``field`` (a region prefix) lies in any of the given subtrees."""
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


class Region(ReferenceData, TimeStampedModel):
    """A division (province down to village/community) with its parent and resident population."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # ``core.collation.pinyin_sort_key(name)``, kept with the name by save(): lists order places
    # by it in SQL (issue #16).
    name_key = models.CharField(
        max_length=SORT_KEY_MAX_LENGTH, blank=True, default="", db_default="", editable=False
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Written by regions.services only; the subtree key every jurisdiction check compares with.
    prefix = models.CharField(_("code prefix"), max_length=12, editable=False)
    population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    # A division the statistical tables no longer list keeps its row (cases and figures refer to
    # it): the year of the table that dropped it, and the division it was merged into, if any.
    abolished_in = models.PositiveSmallIntegerField(_("abolished in"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )

    objects = ReferenceQuerySet["Region"].as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("an administrative division, the record itself", "region")
        verbose_name_plural = _("regions")
        indexes = [
            models.Index(fields=["prefix"], name="region_prefix", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=RegionLevel.values), name="region_level_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.prefix = prefix_of(self.code, self.level)
        self.name_key = pinyin_sort_key(self.name)
        kwargs["update_fields"] = with_name_key(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def contains(self, other: "Region") -> bool:
        return other.prefix.startswith(self.prefix)


class Grid(TimeStampedModel):
    """A 网格 inside a village/community, patrolled by its grid workers."""

    code = models.CharField(_("grid code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="grids",
        verbose_name=_("village / community"),
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="grids", verbose_name=_("grid workers")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("grid")
        verbose_name_plural = _("grids")

    def __str__(self) -> str:
        return f"{self.village.name}{self.name}"


class RegionChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved to another parent")
    MERGED = "merged", _("Merged into another division")
    ABOLISHED = "abolished", _("Abolished")
    RESTORED = "restored", _("Listed again")


class RegionChange(models.Model):
    """One change a yearly code table made to one division: the history behind its current row."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=pgettext_lazy("an administrative division, the record itself", "region"),
    )
    year = models.PositiveSmallIntegerField(_("year of the code table"))
    kind = models.CharField(_("kind of change"), max_length=12, choices=RegionChangeKind)
    old_name = models.CharField(_("former name"), max_length=100, blank=True)
    new_name = models.CharField(_("new name"), max_length=100, blank=True)
    old_parent_code = models.CharField(_("former parent code"), max_length=12, blank=True)
    successor = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["region__code", "year", "pk"]
        verbose_name = _("region change")
        verbose_name_plural = _("region changes")
        indexes = [models.Index(fields=["year", "kind"], name="region_change_year_kind")]

    def __str__(self) -> str:
        return f"{self.year} {self.region.code} {self.get_kind_display()}"
