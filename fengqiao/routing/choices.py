from django.db import models
from django.utils.translation import gettext_lazy as _


class PartySpread(models.TextChoices):
    """Where the parties live compared with each other (小事不出村、大事不出镇、难事不出县)."""

    CROSS_VILLAGE = "cross_village", _("Parties in different villages")  # 跨村
    CROSS_TOWNSHIP = "cross_township", _("Parties in different townships")  # 跨乡镇


class TargetKind(models.TextChoices):
    """How a rule names the organisation that handles the case."""

    ORGANISATION = "organisation", _("A named organisation")  # e.g. the county medical committee
    PLACE_TOWNSHIP = "place_township", _("The unit of the chosen kind in the place's township")
    PLACE_COUNTY = "place_county", _("The unit of the chosen kind in the place's county")
    COURT_INVITED = "court_invited", _("An organisation on the delegating court's invited list")
    SOURCE_NAMED = "source_named", _("The unit the source names (12345 承办单位)")
