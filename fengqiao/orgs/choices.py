from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Organisation kinds named in the seed plans (DOMAIN A2)."""

    CENTRE = "centre", _("Comprehensive governance / dispute mediation centre")  # 综治中心/矛调中心
    VILLAGE_COMMITTEE = "village_committee", _("Village (community) people's mediation committee")
    TOWNSHIP_COMMITTEE = "township_committee", _("Township people's mediation committee")
    JUSTICE_OFFICE = "justice_office", _("Judicial office")  # 司法所
    POLICE_STATION = "police_station", _("Police station")  # 派出所
    PETITION_OFFICE = "petition_office", _("Petition office")  # 信访办
    COURT = "court", _("People's court / tribunal")  # 人民法院/人民法庭
    PROFESSIONAL_COMMITTEE = (
        "professional_committee",
        _("Professional / industry mediation committee"),
    )
    DEPARTMENT = "department", _("Administrative department")  # 行政部门
    LAW_FIRM = "law_firm", _("Law firm")  # 律所
    LEGAL_AID_CENTRE = "legal_aid_centre", _("Legal aid centre")  # 法律援助中心


# Mediation organisations that seal their agreements (人民调解法 art.29; issue #14 item 1).
COMMITTEE_KINDS = frozenset(
    {OrgKind.VILLAGE_COMMITTEE, OrgKind.TOWNSHIP_COMMITTEE, OrgKind.PROFESSIONAL_COMMITTEE}
)
# 行政调解: the administrative body mediating within its remit seals its own.
ADMINISTRATIVE_KINDS = frozenset({OrgKind.DEPARTMENT})
# 特邀调解规定 art.5: a court may admit 人民调解、行政调解、商事调解、行业调解 organisations; a
# 司法所, 综治中心, police station, petition office or another court is none of these.
INVITABLE_KINDS = COMMITTEE_KINDS | ADMINISTRATIVE_KINDS


class Specialty(models.TextChoices):
    """Fields of the professional and industry mediation committees (专业/行业调委会)."""

    MEDICAL = "medical", _("Medical")
    TRAFFIC = "traffic", _("Road traffic")
    LABOUR = "labour", _("Labour")
    PROPERTY = "property", _("Property management")
    MARRIAGE = "marriage", _("Marriage and family")
    CONSUMER = "consumer", _("Consumer")
    LAND = "land", _("Land and forest")
