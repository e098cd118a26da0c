"""Open311 GeoReport v2 service requests: a city app or a 311 platform files a dispute with the
endpoint's channel key as ``api_key``. The request becomes a case through the same channel
intake as every other source (``base.receive``); docs/open311.md gives the field mapping."""

import uuid
from typing import Any

from django.utils.translation import gettext
from ninja import Field, Schema

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.channels.base import receive
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

SOURCE_PREFIX = "O311-"
PLACE_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


class ServiceRequestIn(Schema):
    """The POST fields of GeoReport v2 that this system uses (others are ignored)."""

    service_code: str = Field(min_length=1, max_length=64)
    description: str = Field(min_length=1, max_length=4000)
    address_id: str = Field("", max_length=12)
    address_string: str = Field("", max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)
    first_name: str = Field("", max_length=50)
    last_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    device_id: str = Field("", max_length=100)
    account_id: str = Field("", max_length=100)
    media_url: str = Field("", max_length=500)


FIELD_MAP = {
    "region": "address_id",
    "description": "description",
    "title": "description",
    "category": "service_code",
    "subcategory": "service_code",
    "address": "address_string",
}


def category_codes(service_code: str) -> tuple[str, str]:
    """(category, subcategory) of a service code: a subcategory's code names its parent too."""
    row = (
        DisputeCategory.objects.filter(code=service_code, is_active=True)
        .select_related("parent")
        .first()
    )
    if row is not None and row.parent is not None:
        return row.parent.code, row.code
    return service_code, ""  # unknown codes are reported by the registration rules


def place_code(endpoint: ChannelEndpoint, data: ServiceRequestIn, jurisdiction_id: str) -> str:
    """The township or village the request is about: ``address_id`` (a 12-digit division code),
    else ``jurisdiction_id`` when it names one, else the receiving unit's own place.

    Raises:
        InvalidInput: none of these is a township or village (Open311 lat/long alone cannot
        place a dispute: there is no geocoder).
    """
    for code in (data.address_id, jurisdiction_id, endpoint.org.region.code):
        if code and Region.objects.filter(code=code, level__in=PLACE_LEVELS).exists():
            return code
    raise InvalidInput(
        gettext("Please correct the errors below."),
        errors={
            "address_id": [
                gettext("Give the 12-digit code of the township or village of the dispute.")
            ]
        },
    )


def receive_request(
    endpoint: ChannelEndpoint, data: ServiceRequestIn, *, jurisdiction_id: str = ""
) -> Registered:
    """Register one service request as a case of ``endpoint``'s channel; each POST is a new
    request (GeoReport has no client-side request number), so its source number is made here.

    Raises:
        InvalidInput: with the Open311 field names; nothing is stored.
    """
    category, subcategory = category_codes(data.service_code)
    name = f"{data.last_name}{data.first_name}".strip() or gettext("Anonymous reporter")
    applicant = PartyDraft(role=PartyRole.APPLICANT, name=name, phone=data.phone)
    extra: dict[str, Any] = {
        key: value
        for key, value in {
            "email": data.email,
            "device_id": data.device_id,
            "account_id": data.account_id,
            "media_url": data.media_url,
            "lat": data.lat,
            "long": data.long,
        }.items()
        if value not in ("", None)
    }
    draft = CaseDraft(
        org_id=endpoint.org_id,
        title=data.description[:40],
        description=data.description,
        claims=data.description,
        channel=endpoint.channel,
        category=category,
        subcategory=subcategory,
        region=place_code(endpoint, data, jurisdiction_id),
        address=data.address_string,
        parties=(applicant,),
    )
    return receive(
        endpoint=endpoint,
        source_ref=SOURCE_PREFIX + uuid.uuid4().hex[:16].upper(),
        payload={**data.model_dump(mode="json"), "open311": extra},
        draft=draft,
        field_map=FIELD_MAP,
        party_lists=[(0, "last_name", False)],
    )
