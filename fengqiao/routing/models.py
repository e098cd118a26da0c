"""Routing rules (data, edited in the admin) and courts' invited lists (特邀调解组织名册)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Channel
from fengqiao.core.models import TimeStampedModel
from fengqiao.core.refcache import ReferenceData, ReferenceQuerySet
from fengqiao.orgs.choices import INVITABLE_KINDS, OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.routing.choices import PartySpread, TargetKind


class RoutingRule(ReferenceData, TimeStampedModel):
    """Chooses the handling organisation of a new case. Active rules are tried in priority order
    (lowest first) and the first whose every condition holds, and whose target exists, wins; an
    empty condition holds for every case. The rule is written on the case and its timeline."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    # conditions
    within = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applies to places within"),
    )
    channels = models.JSONField(
        _("channels"),
        default=list,
        blank=True,
        help_text=_('Channel codes, e.g. ["court"]; empty means any channel.'),
    )
    categories = models.ManyToManyField(
        "cases.DisputeCategory",
        blank=True,
        related_name="+",
        verbose_name=_("categories"),
        help_text=_("A category matches its subcategories too; none means any category."),
    )
    party_spread = models.CharField(
        _("where the parties live"), max_length=20, choices=PartySpread, blank=True
    )
    min_amount = models.DecimalField(
        _("amount at least (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_people = models.PositiveIntegerField(_("people involved at least"), null=True, blank=True)
    # target
    target = models.CharField(_("handled by"), max_length=20, choices=TargetKind)
    target_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("For 'a named organisation': the lead unit that handles the case."),
    )
    target_org_kind = models.CharField(
        _("unit kind"), max_length=30, choices=OrgKind, default=OrgKind.CENTRE, blank=True
    )

    objects = ReferenceQuerySet["RoutingRule"].as_manager()

    class Meta:
        ordering = ["priority", "code"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target=TargetKind.ORGANISATION) | Q(target_org__isnull=False),
                name="routing_rule_named_org_given",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:

        unknown = [c for c in self.channels or [] if c not in Channel.values]
        errors: dict[str, str] = {}
        if unknown:
            errors["channels"] = gettext("Unknown channel codes: %(codes)s") % {
                "codes": ", ".join(map(str, unknown))
            }
        if self.target == TargetKind.ORGANISATION and self.target_org_id is None:
            errors["target_org"] = gettext("Choose the organisation.")
        if errors:
            raise ValidationError(errors)


class InvitedOrganisation(ReferenceData, models.Model):
    """An organisation on a court's list of invited mediation organisations (特邀调解组织名册,
    特邀调解规定 arts.5-6); delegated cases go to the least busy one."""

    court = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="invited_list",
        limit_choices_to={"kind": OrgKind.COURT},
        verbose_name=_("court"),
    )
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="invited_by",
        verbose_name=_("invited organisation"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet["InvitedOrganisation"].as_manager()

    class Meta:
        ordering = ["court", "org"]
        verbose_name = _("invited organisation")
        verbose_name_plural = _("invited organisations")
        constraints = [models.UniqueConstraint(fields=["court", "org"], name="invited_org_once")]

    def __str__(self) -> str:
        return f"{self.court} → {self.org}"

    def clean(self) -> None:
        """特邀调解规定 art.5 admits mediation organisations only (issue #14: a 司法所 and a
        综治中心 were on the demo courts' lists)."""
        if self.org_id is not None and self.org.kind not in INVITABLE_KINDS:
            raise ValidationError({"org": invitation_refusal(self.org)})


def invitation_refusal(org: Organisation) -> str | None:
    """Why a court may not admit ``org`` to its invited list; None when it may."""
    if org.kind in INVITABLE_KINDS:
        return None
    return gettext(
        "Only people's, administrative, commercial or industry mediation organisations can be "
        "invited by a court (特邀调解规定 art.5); %(org)s is not one."
    ) % {"org": org.name}
