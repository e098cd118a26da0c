"""Writes of the registers: people by village, mediators' ratings; and the audited export of the
month's subsidies for the finance office."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import crypto, spreadsheet, validators
from fengqiao.core.exceptions import InvalidInput
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region
from fengqiao.registers.models import MediatorRating, PersonRole, RegisterPerson
from fengqiao.registers.subsidies import subsidy_statement

PHONE_CONTEXT = "registers.phone"


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(gettext("Please correct the errors below."), errors=errors)


@dataclass(frozen=True, slots=True)
class PersonDraft:
    role: str
    name: str
    village_code: str
    duties: str
    phone: str = ""


@transaction.atomic
def person_add(*, actor: User, draft: PersonDraft) -> RegisterPerson:
    """Put a person on a village's register.

    Raises:
        InvalidInput: field errors (an unknown village looks the same as one out of scope);
        PermissionDeniedError: the actor may not keep this village's registers.
    """
    errors: dict[str, list[str]] = {}
    if draft.role not in PersonRole.values:
        errors["role"] = [gettext("Choose the role.")]
    if not draft.name.strip():
        errors["name"] = [gettext("This field is required.")]
    if not draft.duties.strip():
        errors["duties"] = [gettext("Say what the person does in the village.")]
    village = Region.objects.filter(code=draft.village_code, level=RegionLevel.VILLAGE).first()
    if village is None:
        errors["village"] = [gettext("Choose a village.")]
    phone = crypto.normalise_phone(draft.phone) if draft.phone.strip() else ""
    if phone and (problem := validators.mobile_problem(draft.phone)):
        errors["phone"] = [problem]
    if errors:
        raise _invalid(errors)
    assert village is not None  # noqa: S101  checked above
    access.require(actor, Capability.CASE_ACCEPT, prefix=village.prefix)
    person = RegisterPerson.objects.create(
        role=draft.role,
        name=draft.name.strip(),
        village=village,
        village_prefix=village.prefix,
        duties=draft.duties.strip(),
        phone_encrypted=crypto.encrypt(phone, context=PHONE_CONTEXT) if phone else "",
        phone_masked=crypto.mask_phone(phone) if phone else "",
    )
    record(
        actor=actor, action=AuditAction.RECORD_CREATED, target=person, extra={"role": draft.role}
    )
    return person


@transaction.atomic
def rating_set(
    *, actor: User, mediator: User, year: int, stars: int, is_gold: bool
) -> MediatorRating:
    """Rate a mediator for a year (星级评定, 金牌调解员); the rater must be able to close cases
    where the mediator works.

    Raises:
        InvalidInput: stars outside 1–5, or a mediator outside the actor's jurisdiction.
    """
    if not 1 <= stars <= 5:
        raise _invalid({"stars": [gettext("A rating is one to five stars.")]})
    prefixes = [m.region.prefix for m in mediator.memberships.select_related("region")]
    if not any(access.can(actor, Capability.CASE_CLOSE, prefix=p) for p in prefixes):
        raise _invalid({"mediator": [gettext("Choose a mediator of your jurisdiction.")]})
    try:
        with transaction.atomic():
            rating, created = MediatorRating.objects.update_or_create(
                mediator=mediator,
                year=year,
                defaults={"stars": stars, "is_gold": is_gold, "rated_by": actor},
            )
    except IntegrityError:
        raise _invalid({"stars": [gettext("A rating is one to five stars.")]}) from None
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED if created else AuditAction.RECORD_CHANGED,
        target=rating,
        changes={"stars": stars, "is_gold": is_gold},
    )
    return rating


COLUMNS = (
    spreadsheet.Column("调解员", 12),
    spreadsheet.Column("结案数", 8, spreadsheet.INTEGER),
    spreadsheet.Column("以案定补（元）", 14, spreadsheet.AMOUNT),
    spreadsheet.Column("星级", 6, spreadsheet.INTEGER),
    spreadsheet.Column("星级奖补（元）", 14, spreadsheet.AMOUNT),
    spreadsheet.Column("金牌调解员", 10),
    spreadsheet.Column("金牌补贴（元）", 14, spreadsheet.AMOUNT),
    spreadsheet.Column("合计（元）", 14, spreadsheet.AMOUNT),
)


@transaction.atomic
def subsidy_export(*, actor: User, region: Region, year: int, month: int) -> bytes:
    """The month's statement as .xlsx for the finance office (audited): amounts as numbers in
    yuan with two decimals, the totals row last."""
    lines = subsidy_statement(actor=actor, region=region, year=year, month=month)
    rows: list[list[object]] = [
        [
            getattr(line.mediator, "full_name", "") or line.mediator.get_username(),
            line.cases,
            line.case_amount,
            line.stars,
            line.star_amount,
            line.is_gold,
            line.gold_amount,
            line.total,
        ]
        for line in lines
    ]
    total = sum((x.total for x in lines), start=Decimal(0))
    rows.append(["合计", sum(x.cases for x in lines), None, None, None, None, None, total])
    sheet = spreadsheet.Sheet(
        name=f"{year}年{month}月补贴",
        title_rows=[f"{region.name} {year}年{month}月 以案定补、星级奖补发放表"],
        columns=COLUMNS,
        rows=rows,
    )
    content = spreadsheet.to_bytes([sheet])
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=region,
        extra={"export": "subsidies", "year": year, "month": month, "rows": len(lines)},
    )
    return content
