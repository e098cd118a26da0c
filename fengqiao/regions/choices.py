from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village / community")


# How many leading digits of the 12-digit statistical code name a division of each level
# (DOMAIN §8.2: PPCCDD TTT VVV). The rest are zeros, so these digits are the subtree's prefix.
PREFIX_DIGITS: dict[int, int] = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}

LEVEL_BY_NAME: dict[str, int] = {
    "province": RegionLevel.PROVINCE,
    "省": RegionLevel.PROVINCE,
    "city": RegionLevel.CITY,
    "市": RegionLevel.CITY,
    "county": RegionLevel.COUNTY,
    "县": RegionLevel.COUNTY,
    "区县": RegionLevel.COUNTY,
    "township": RegionLevel.TOWNSHIP,
    "乡镇": RegionLevel.TOWNSHIP,
    "镇": RegionLevel.TOWNSHIP,
    "乡": RegionLevel.TOWNSHIP,
    "街道": RegionLevel.TOWNSHIP,
    "village": RegionLevel.VILLAGE,
    "村": RegionLevel.VILLAGE,
    "社区": RegionLevel.VILLAGE,
    "村(社区)": RegionLevel.VILLAGE,
    "村（社区）": RegionLevel.VILLAGE,
}
