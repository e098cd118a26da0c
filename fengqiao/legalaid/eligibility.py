"""Who may get legal aid in a civil or administrative matter (法律援助法 2021, arts.31, 32, 34,
42), as a pure function the portal check, the case referral and the tests share.

- art.31: the matters (a list); the applicant must also be in economic hardship;
- art.32: circumstances with no economic-hardship condition at all;
- art.34: the hardship standard is set by the province (kept as data, ``HardshipStandard``);
- art.42: groups whose hardship is not checked (免予核查经济困难状况).
The 法律援助中心 decides; this says how the application looks, with the reasons.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Matter(models.TextChoices):  # art.31
    STATE_COMPENSATION = "state_compensation", _("State compensation")  # 依法请求国家赔偿
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance benefits or social assistance")
    PENSION = "pension", _("Pension for the bereaved (抚恤金)")
    SUPPORT = "support", _("Maintenance for parents, children or spouse (赡养费、抚养费、扶养费)")
    LABOUR = "labour", _("Confirming an employment relationship or unpaid wages")
    CAPACITY = "capacity", _("Declaring a person without or with limited civil capacity")
    INJURY = (
        "injury",
        _("Personal injury from a work, traffic, food or drug safety or medical accident"),
    )
    ENVIRONMENT = "environment", _("Damage from environmental pollution or ecological harm")
    OTHER_LISTED = "other_listed", _("Another matter that a law, regulation or rule lists")
    NONE = "none", _("None of these")


class Circumstance(models.TextChoices):  # art.32
    HERO_RELATIVE = (
        "hero_relative",
        _("A close relative of a hero or martyr defending their honour"),
    )
    GOOD_SAMARITAN = "good_samaritan", _("Claims arising from acting bravely for others (见义勇为)")
    ACQUITTED = "acquitted", _("State compensation after acquittal on retrial")
    ABUSE = "abuse", _("A victim of maltreatment, abandonment or domestic violence")
    OTHER_LISTED = "other_listed", _("Another circumstance a law, regulation or rule lists")
    NONE = "none", _("None of these")


class ExemptGroup(models.TextChoices):  # art.42
    DEPENDENT = (
        "dependent",
        _("A minor, elderly or disabled person without a fixed source of livelihood"),
    )
    ASSISTED = "assisted", _("Receiving social assistance, judicial assistance or special care")
    MIGRANT_WORKER = (
        "migrant_worker",
        _("A migrant worker claiming wages or work-injury compensation"),
    )
    OTHER_LISTED = "other_listed", _("Another group a law, regulation or rule lists")
    NONE = "none", _("None of these")


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Meets the conditions")
    TO_VERIFY = "to_verify", _("Meets them if the centre confirms the economic hardship")
    NOT_ELIGIBLE = "not_eligible", _("Does not appear to meet the conditions")


@dataclass(frozen=True, slots=True)
class Answers:
    matter: str
    circumstance: str = Circumstance.NONE
    exempt_group: str = ExemptGroup.NONE
    household_income: Decimal | None = None  # monthly, whole household, yuan
    household_size: int = 1


@dataclass(frozen=True, slots=True)
class Assessment:
    verdict: str
    reasons: tuple[str, ...]


def assess(answers: Answers, *, standard: Decimal | None) -> Assessment:
    """The verdict and its reasons; ``standard`` is the monthly income per person under which
    the province counts a household as in hardship (None: no standard recorded here)."""
    if answers.circumstance not in ("", Circumstance.NONE):
        return Assessment(Verdict.ELIGIBLE, (gettext("Art.32: no economic-hardship condition."),))
    if answers.matter in ("", Matter.NONE):
        return Assessment(
            Verdict.NOT_ELIGIBLE,
            (gettext("The matter is not among those of art.31 or art.32."),),
        )
    matter = gettext("Art.31: the matter is covered.")
    if answers.exempt_group not in ("", ExemptGroup.NONE):
        return Assessment(
            Verdict.ELIGIBLE, (matter, gettext("Art.42: the economic hardship is not checked."))
        )
    if answers.household_income is None or standard is None:
        return Assessment(
            Verdict.TO_VERIFY,
            (matter, gettext("Art.34: the centre checks the economic hardship.")),
        )
    per_person = answers.household_income / max(answers.household_size, 1)
    if per_person <= standard:
        return Assessment(
            Verdict.ELIGIBLE,
            (
                matter,
                gettext(
                    "Income of {income} yuan a person is within the standard of {standard}."
                ).format(income=per_person.quantize(Decimal("0.01")), standard=standard),
            ),
        )
    return Assessment(
        Verdict.NOT_ELIGIBLE,
        (
            matter,
            gettext("Income of {income} yuan a person is above the standard of {standard}.").format(
                income=per_person.quantize(Decimal("0.01")), standard=standard
            ),
        ),
    )
