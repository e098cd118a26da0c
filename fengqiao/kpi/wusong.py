"""无讼村(社区) and 无讼乡镇 criteria (DOMAIN A6, seeds/003 创建标准) as a yearly checklist: each
criterion is decided automatically where the data exist, otherwise by the evaluating unit with
evidence. The share of 无讼村 is an indicator with its yearly targets (45/60/75/80%)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fengqiao.kpi import definitions
from fengqiao.kpi.choices import ExternalMetric as X
from fengqiao.kpi.periods import Period
from fengqiao.kpi.selectors import _external, compute
from fengqiao.kpi.share import SHARE_TARGET_AFTER, village_share
from fengqiao.regions.models import Region

VILLAGE, TOWNSHIP = "village", "township"

Auto = Callable[[Region, int], tuple[bool | None, str]]  # (met or unknown, what decided it)


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    kind: str  # village or township
    number: int  # as numbered in the 创建标准
    text: StrOrPromise
    auto: Auto | None = None  # None: decided by people, with evidence
    counts: tuple[StrOrPromise, ...] = ()  # numbers the evaluator enters (e.g. 法律明白人)
    minimums: tuple[int, ...] = ()


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def _figure_zero(*metrics: str) -> Auto:
    def decide(region: Region, year: int) -> tuple[bool | None, str]:
        parts, met = [], True
        for metric in metrics:
            value, _rows = _external(metric, region, _year(year))
            if value is None:
                return None, str(_("No imported figure: %(name)s")) % {"name": X(metric).label}
            parts.append(f"{X(metric).label} {value.normalize()}")
            met = met and value == 0
        return met, "；".join(parts)

    return decide


def _indicators_met(*codes: str) -> Auto:
    def decide(region: Region, year: int) -> tuple[bool | None, str]:
        parts, met = [], True
        for code in codes:
            figure = compute(definitions.BY_CODE[code], region, _year(year))
            if figure.met is None:
                return None, str(_("Not enough data for: %(name)s")) % {
                    "name": figure.indicator.name
                }
            parts.append(f"{figure.indicator.name} {figure.value}（{figure.target}）")
            met = met and figure.met
        return met, "；".join(parts)

    return decide


def _all_taken_in(region: Region, year: int) -> tuple[bool | None, str]:
    figure = compute(definitions.BY_CODE["handling_rate"], region, _year(year))
    if figure.value is None:
        return True, str(_("No dispute registered this year"))
    return figure.value >= 100, f"{figure.indicator.name} {figure.value}%"


def _village_share(region: Region, year: int) -> tuple[bool | None, str]:
    value, passed, villages = village_share(region, year)
    if value is None:
        return None, str(_("No village evaluated yet"))
    return value >= SHARE_TARGET_AFTER, f"{passed}/{villages} = {value}%"


NO_CRIME = _figure_zero(X.SERIOUS_INTENTIONAL_CRIMES, X.CIVIL_TO_CRIMINAL_HOMICIDES)
NO_MASS = _figure_zero(X.MASS_INCIDENTS, X.IRREGULAR_PETITIONS)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "v_self_rules",
        VILLAGE,
        1,
        _("Non-litigation dispute resolution written into the village rules and agreements"),
    ),
    Criterion(
        "v_mediation_working",
        VILLAGE,
        2,
        _("Mediation and grid organisations at work: every dispute taken into handling in time"),
        auto=_all_taken_in,
    ),
    Criterion(
        "v_legal_leaders",
        VILLAGE,
        3,
        _("At least 1 rule-of-law leader and 3 legally literate residents, active"),
        counts=(
            _("rule-of-law leaders (法治带头人)"),
            _("legally literate residents (法律明白人)"),
        ),
        minimums=(1, 3),
    ),
    Criterion(
        "v_no_crime",
        VILLAGE,
        4,
        _("No intentional crime, no major civil dispute turned criminal"),
        auto=NO_CRIME,
    ),
    Criterion(
        "v_no_mass_petition",
        VILLAGE,
        5,
        _("No collective petition or mass incident, no petition to Beijing or irregular petition"),
        auto=NO_MASS,
    ),
    Criterion(
        "v_litigation_rate",
        VILLAGE,
        6,
        _("Lawsuits per 10,000 residents at most half the city's rate of the previous year"),
        auto=_indicators_met("litigation_rate"),
    ),
    Criterion(
        "t_plan_matrix",
        TOWNSHIP,
        1,
        _("A creation plan and a complete '1+6+N' rule-of-law service matrix"),
    ),
    Criterion(
        "t_legal_teams",
        TOWNSHIP,
        2,
        _("Rule-of-law leaders, legally literate people and a legal adviser per village, active"),
    ),
    Criterion(
        "t_centre_platform",
        TOWNSHIP,
        3,
        _("A mediation centre linked to the court; the 诉服村村通 platform in every village"),
    ),
    Criterion(
        "t_legal_service",
        TOWNSHIP,
        4,
        _("Public legal service stations answering residents at their door"),
    ),
    Criterion(
        "t_screening",
        TOWNSHIP,
        5,
        _("Regular screening of instability factors; investigation and mediation in place"),
    ),
    Criterion(
        "t_legal_culture", TOWNSHIP, 6, _("Rule-of-law culture and 'mediate first' widely accepted")
    ),
    Criterion(
        "t_platform",
        TOWNSHIP,
        7,
        _("Court mediation platform: share accepted at least 10%, success at least 70%"),
        auto=_indicators_met("platform_share", "platform_success_rate"),
    ),
    Criterion(
        "t_no_crime",
        TOWNSHIP,
        8,
        _("No intentional crime sentenced to 3+ years, no major civil dispute turned criminal"),
        auto=NO_CRIME,
    ),
    Criterion(
        "t_no_mass_petition",
        TOWNSHIP,
        9,
        _("No collective petition or mass incident, no petition to Beijing or irregular petition"),
        auto=NO_MASS,
    ),
    Criterion(
        "t_litigation_rate",
        TOWNSHIP,
        10,
        _("Lawsuits per 10,000 residents at most half the city's rate of the previous year"),
        auto=_indicators_met("litigation_rate"),
    ),
    Criterion(
        "t_prelitigation",
        TOWNSHIP,
        11,
        _("Pre-litigation mediation success at least 80%, diversion at least 60%"),
        auto=_indicators_met("prelitigation_success_rate", "prelitigation_diversion_rate"),
    ),
    Criterion(
        "t_village_share",
        TOWNSHIP,
        12,
        _("Villages and communities that are 无讼: at least 80%"),
        auto=_village_share,
    ),
)
BY_CODE = {c.code: c for c in CRITERIA}


def criteria_for(kind: str) -> list[Criterion]:
    return [c for c in CRITERIA if c.kind == kind]
