"""The mediator roster (调解员名册): who may mediate, where, in what, and to whom they are related.

The roster holds no case data (ARCHITECTURE: ``orgs`` sits above ``cases``); star ratings and
per-mediator counts for 以案定补 are computed from cases in ``fengqiao.mediation.selectors``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock


class MediatorKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time people's mediator")  # 专职人民调解员
    PART_TIME = "part_time", _("Part-time people's mediator")  # 兼职人民调解员
    INVITED = "invited", _("Court-invited mediator")  # 特邀调解员 (on a court's 名册)
    LAWYER = "lawyer", _("Lawyer mediator")  # 律师调解员
    EXPERT = "expert", _("Expert")  # 专家


class Mediator(models.Model):
    """One person on the roster: kind, organisation, specialties, dialects, availability.

    ``user`` links the entry to a login when the mediator has one; ``court`` is the court whose
    特邀调解员 name list carries the entry.
    """

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=MediatorKind)
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="mediators",
        verbose_name=_("organisation"),
    )
    court = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invited_mediators",
        verbose_name=_("court name list"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator_entry",
        verbose_name=_("login"),
    )
    specialties = models.JSONField(_("specialties"), default=list, blank=True)  # category codes
    dialects = models.CharField(_("dialects"), max_length=100, blank=True)
    area_prefix = models.CharField(_("area served"), max_length=12, blank=True)  # region code
    is_available = models.BooleanField(_("available"), default=True)
    availability_note = models.CharField(_("availability note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["org_id", "name"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MediatorKind.values), name="mediator_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MediatorTraining(models.Model):
    """A training the mediator attended (业务培训记录)."""

    mediator = models.ForeignKey(
        Mediator, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("mediator")
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    provider = models.CharField(_("provider"), max_length=100, blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.held_on} {self.title}"


class MediatorConflict(models.Model):
    """A declared relationship with a person, which excludes the mediator from that person's cases
    (人民调解法 art.23: a party may ask a mediator to withdraw).

    Matched by the hashed ID number when known, else by name.
    """

    mediator = models.ForeignKey(
        Mediator, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("mediator")
    )
    person_name = models.CharField(_("person"), max_length=100)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    relationship = models.CharField(_("relationship"), max_length=100)
    declared_on = models.DateField(_("declared on"))

    class Meta:
        ordering = ["mediator_id", "person_name"]
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.person_name} {self.relationship}"


def declared_conflicts(
    mediator_ids: list[int], *, names: set[str], id_indexes: set[str]
) -> models.QuerySet[MediatorConflict]:
    """Relationships the given mediators declared with any of these people (by name or hashed ID
    number): each one keeps that mediator off the case (人民调解法 art.23; 特邀调解规定 art.15)."""
    people = Q(person_name__in=names)
    if id_indexes:
        people |= Q(id_number_index__in=id_indexes)
    return MediatorConflict.objects.filter(people, mediator_id__in=mediator_ids).select_related(
        "mediator"
    )
