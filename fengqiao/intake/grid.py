"""网格员上报: a grid worker reports a dispute found on patrol from a phone — the village comes
from their own grids, photos from the camera, the place from the browser's geolocation.

The report is registered through the intake path (``intake.pipeline``) with the worker as actor
(the grid worker role holds ``case.register`` over its village), the photos through
``cases.attachments``; all or nothing: a refused photo leaves no case, no file and no event,
and the form keeps what was typed.
A hidden token generated with the form is the report's source number, so a retried submit opens
the case it already made instead of registering a second one.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import attachments
from fengqiao.cases.attachments import CheckedUpload
from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.pipeline import Submission, register_dispute
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Grid

TOKEN_PREFIX = "GR-"  # noqa: S105  a source-number prefix, not a secret
FIELDS = (
    "token",
    "grid",
    "description",
    "applicant_name",
    "applicant_phone",
    "respondent_name",
    "respondent_phone",
    "latitude",
    "longitude",
)
# Registration rules' field names as this form's.
FIELD_MAP = {
    "region": "grid",
    "grid": "grid",
    "org_id": "grid",
    "title": "description",
    "description": "description",
    "category": "description",
    "subcategory": "description",
    "parties": "applicant_name",
    "source_ref": "form",
}
PARTY_FIELDS = {
    ("0", "name"): "applicant_name",
    ("0", "phone"): "applicant_phone",
    ("1", "name"): "respondent_name",
    ("1", "phone"): "respondent_phone",
}


def grids_of(worker: User) -> list[Grid]:
    return list(Grid.objects.select_related("village").filter(workers=worker).order_by("code"))


@dataclass(frozen=True, slots=True)
class GridReport:
    token: str
    grid: str
    description: str
    applicant_name: str
    applicant_phone: str
    respondent_name: str
    respondent_phone: str
    latitude: str
    longitude: str


def _coordinate(value: str, bound: int) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) > bound:
        return None
    return number.quantize(Decimal("0.000001"))


def _registering_org(actor: User, prefix: str) -> Organisation | None:
    """The organisation the worker registers for at this village (their own committee)."""
    orgs = Organisation.objects.select_related("region").filter(
        pk__in=access.org_ids_with(actor, Capability.CASE_REGISTER), is_active=True
    )
    fitting = [o for o in orgs if prefix.startswith(o.region.prefix)]
    fitting.sort(key=lambda o: -len(o.region.prefix))
    return fitting[0] if fitting else None


def _renamed(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, found in errors.items():
        if name.startswith("parties."):
            _prefix, index, field = [*name.split("."), "", ""][:3]
            target = PARTY_FIELDS.get((index, field), "applicant_name")
        else:
            target = FIELD_MAP.get(name, "form")
        out.setdefault(target, []).extend(found)
    return out


def grid_report_submit(*, actor: User, report: GridReport, photos: list[Any]) -> tuple[Case, bool]:
    """Register the report and attach its photos, all or nothing; the same token again returns
    the case it made (``created`` False).

    Raises:
        InvalidInput: this form's field names; nothing is stored.
    """
    errors: dict[str, list[str]] = {}
    if not (report.token.startswith(TOKEN_PREFIX) and 10 <= len(report.token) <= 40):
        errors["form"] = [gettext("The form has expired. Please reload the page and try again.")]
    else:
        existing = Case.objects.filter(channel=Channel.GRID, source_ref=report.token).first()
        if existing is not None and existing.registered_by_id == actor.pk:
            return existing, False
    grid = next((g for g in grids_of(actor) if g.code == report.grid), None)
    if grid is None:
        errors["grid"] = [gettext("Choose one of your grids.")]
    if not report.description.strip():
        errors["description"] = [gettext("Describe the dispute in a few words.")]
    elif len(report.description) > 2000:
        errors["description"] = [gettext("At most 2000 characters.")]
    if not report.applicant_name.strip():
        errors["applicant_name"] = [gettext("Enter the name of at least one party.")]
    latitude = longitude = None
    if report.latitude or report.longitude:
        latitude = _coordinate(report.latitude, 90)
        longitude = _coordinate(report.longitude, 180)
        if latitude is None or longitude is None:
            errors["location"] = [
                gettext("The location could not be read; try again or leave it out.")
            ]
    checked: list[CheckedUpload] = []
    for photo in photos:
        try:
            checked.append(attachments.upload_check(photo, field="photos"))
        except InvalidInput as error:
            errors.setdefault("photos", []).extend(error.errors.get("photos", []))
    if len(photos) > attachments.max_per_case():
        errors.setdefault("photos", []).append(
            gettext("At most {n} files.").format(n=attachments.max_per_case())
        )
    org = _registering_org(actor, grid.village.prefix) if grid is not None else None
    if grid is not None and org is None:
        errors["grid"] = [gettext("You cannot register cases for this village.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    assert grid is not None  # noqa: S101  checked above
    assert org is not None  # noqa: S101  checked above
    try:
        return _register(actor, report, grid, org, checked, latitude, longitude), True
    except InvalidInput as error:
        raise InvalidInput(error.message, errors=_renamed(error.errors)) from None


@transaction.atomic
def _register(
    actor: User,
    report: GridReport,
    grid: Grid,
    org: Organisation,
    checked: list[CheckedUpload],
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> Case:
    text = report.description.strip()
    parties = [
        PartyDraft(
            role=PartyRole.APPLICANT,
            name=report.applicant_name.strip(),
            phone=report.applicant_phone.strip(),
        )
    ]
    if report.respondent_name.strip():
        parties.append(
            PartyDraft(
                role=PartyRole.RESPONDENT,
                name=report.respondent_name.strip(),
                phone=report.respondent_phone.strip(),
            )
        )
    first_line = text.splitlines()[0]
    payload: dict[str, Any] = {
        "grid": grid.code,
        "description": text,
        "applicant": {"name": report.applicant_name, "phone": report.applicant_phone},
        "respondent": {"name": report.respondent_name, "phone": report.respondent_phone},
        "latitude": str(latitude) if latitude is not None else "",
        "longitude": str(longitude) if longitude is not None else "",
        "photos": [{"name": c.name, "sha256": c.sha256} for c in checked],
    }
    case = register_dispute(
        actor=actor,
        draft=CaseDraft(
            org_id=org.pk,
            title=gettext("Grid report: {summary}").format(summary=first_line[:40]),
            description=text,
            channel=Channel.GRID,
            category="",  # the intake path classifies the worker's words
            region=grid.village.code,
            grid=grid.code,
            parties=tuple(parties),
            source_ref=report.token,
        ),
        submission=Submission(channel=Channel.GRID, source_ref=report.token, payload=payload),
    ).case
    attachments.attachments_add_many(
        case=case, uploads=checked, source="grid", uploaded_by=actor, field="photos"
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=case,
        org=org,
        extra={
            "grid_report": report.token,
            "photos": len(checked),
            "located": latitude is not None,
        },
    )
    return case


@require_http_methods(["GET", "POST"])
def grid_report(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    grids = grids_of(actor)
    if request.method == "GET":
        values = {
            "token": TOKEN_PREFIX + secrets.token_urlsafe(16),
            "grid": grids[0].code if grids else "",
        }
        return render(
            request, "intake/grid_report.html", {"grids": grids, "values": values, "errors": {}}
        )
    values = {name: request.POST.get(name, "").strip() for name in FIELDS}
    try:
        case, created = grid_report_submit(
            actor=actor, report=GridReport(**values), photos=request.FILES.getlist("photos")
        )
    except InvalidInput as error:
        return render(
            request,
            "intake/grid_report.html",
            {"grids": grids, "values": values, "errors": error.errors},
            status=422,
        )
    if created:
        messages.success(request, gettext("Reported: case {number}.").format(number=case.number))
    return redirect("cases:detail", case_id=case.pk)
