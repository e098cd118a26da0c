"""Reads of legal aid: the standard that applies to a region, the centres one may refer to, the
referrals of a case and a centre's inbox (only the centre's own staff see it)."""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import pgettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.cases.models import Case
from fengqiao.core.collation import code_point_order
from fengqiao.core.exceptions import NotFound
from fengqiao.legalaid.models import HardshipStandard, LegalAidReferral
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region


def standard_for(region: Region | None) -> Decimal | None:
    """The deepest recorded standard at or above ``region``."""
    if region is None:
        return None
    standards = HardshipStandard.objects.select_related("region")
    best: HardshipStandard | None = None
    for standard in standards:
        if region.prefix.startswith(standard.region.prefix) and (
            best is None or len(standard.region.prefix) > len(best.region.prefix)
        ):
            best = standard
    return best.monthly_income_per_person if best else None


def centres_for(region: Region | None) -> QuerySet[Organisation]:
    """Legal aid centres serving ``region`` (at or above it), nearest first, then in pinyin
    order (the stored ``name_key``); all without one."""
    centres = Organisation.objects.filter(kind=OrgKind.LEGAL_AID_CENTRE).select_related("region")
    by_name = (code_point_order("name_key"), "name")
    if region is None:
        return centres.order_by(*by_name)
    ids = [c.pk for c in centres if region.prefix.startswith(c.region.prefix)]
    return centres.filter(pk__in=ids).order_by("-region__level", *by_name)


def referrals_of(*, case: Case) -> QuerySet[LegalAidReferral]:
    """The referrals of a case already fetched through ``case_get_for``."""
    return LegalAidReferral.objects.filter(case=case).select_related("centre")


def inbox_for(*, actor: User) -> QuerySet[LegalAidReferral]:
    """Referrals sent to the centres the actor works for."""
    centre_ids = Organisation.objects.filter(
        pk__in=access.home_org_ids(actor), kind=OrgKind.LEGAL_AID_CENTRE
    ).values("pk")
    return LegalAidReferral.objects.filter(centre_id__in=centre_ids).select_related(
        "centre", "case"
    )


def referral_get_for_centre(*, actor: User, referral_id: int) -> LegalAidReferral:
    """Raises NotFound unless the referral went to a centre the actor works for."""
    found = inbox_for(actor=actor).filter(pk=referral_id).first()
    if found is None:
        raise NotFound(pgettext("a legal-aid referral", "Referral not found."))
    return found
