"""无讼村(社区) and 无讼乡镇 criteria (DOMAIN A6, seeds/003 创建标准) as a yearly checklist: each
criterion is decided automatically where the data exist, otherwise by the evaluating unit with
evidence. The share of 无讼村 is an indicator with its yearly targets (45/60/75/80%).

An automatic criterion names what decided it: the imported rows and the cases. The village and
the township have their own crime rule (村 4: 无故意犯罪刑事案件; 镇 8: 无判处三年以上有期徒刑的
故意犯罪刑事案件; both: 无重大民转刑案件). 民转刑 and 集体上访/群体性事件 are counted from the
cases of the year too, not only from imported figures: a criterion is unmet when any source shows
one, met when every part of it has a source with data and none shows one, else undecided."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fengqiao.cases.choices import CaseOutcome, Channel
from fengqiao.cases.models import Case
from fengqiao.kpi import definitions
from fengqiao.kpi.choices import ExternalMetric as X
from fengqiao.kpi.models import ExternalFigure
from fengqiao.kpi.periods import Period
from fengqiao.kpi.selectors import _external, compute
from fengqiao.kpi.share import SHARE_TARGET_AFTER, village_share
from fengqiao.regions.models import Region

VILLAGE, TOWNSHIP = "village", "township"
# 信访工作条例 art.18: five or more people petitioning together choose representatives: a
# collective petition (集体访); the petition channel marks 5+ petitioners 多人联名 (is_mass) too
COLLECTIVE_PETITION_PEOPLE = 5


@dataclass(frozen=True, slots=True)
class Decision:
    """What an automatic criterion found: met (None: undecided), the sentence shown, and the
    cases and imported rows that decided it."""

    met: bool | None
    detail: str
    cases: tuple[tuple[int, str, str], ...] = ()  # (id, number, why it counts)
    rows: tuple[tuple[int, str], ...] = ()  # (ExternalFigure id, what it says)

    def decided_by(self) -> dict[str, list[dict[str, object]]]:
        return {
            "cases": [{"id": i, "number": n, "why": w} for i, n, w in self.cases],
            "rows": [{"id": i, "text": text} for i, text in self.rows],
        }


Auto = Callable[[Region, int], Decision]


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


def _row_text(row: ExternalFigure) -> str:
    return (
        f"{X(row.metric).label} {row.value.normalize():f}（{row.region.name}，"
        f"{row.period_start:%Y-%m-%d}—{row.period_end:%Y-%m-%d}，{row.source}）"
    )


@dataclass
class Source:
    """One source of one part of a criterion: an imported figure or the year's cases."""

    text: str
    count: Decimal = Decimal(0)
    known: bool = False  # has data that settles the part when it shows nothing
    cases: list[tuple[int, str, str]] = field(default_factory=list)  # (id, number, why)
    rows: list[tuple[int, str]] = field(default_factory=list)


def _imported(metric: str, region: Region, year: int, *, settles: bool = True) -> Source:
    """An imported figure of the year; ``settles``: whether its zero settles the part (a zero of
    crimes sentenced to 3+ years says nothing about lighter ones, a positive one does)."""
    value, rows = _external(metric, region, _year(year))
    if value is None:
        return Source(text=gettext("No imported figure: %(name)s") % {"name": X(metric).label})
    return Source(
        text=f"{X(metric).label} {value.normalize():f}",
        count=value,
        known=settles,
        rows=[(row.pk, _row_text(row)) for row in rows],
    )


def year_cases(region: Region, year: int) -> QuerySet[Case]:
    """The disputes arising in the region and registered in the year (a merged duplicate is the
    same dispute as its primary case: counted there)."""
    start, end = _year(year).bounds()
    return Case.objects.filter(
        place_prefix__startswith=region.prefix, created_at__gte=start, created_at__lt=end
    ).exclude(outcome=CaseOutcome.MERGED)


Hit = tuple[int, str, str]  # (case id, case number, why it counts)


def criminal_cases(region: Region, year: int) -> list[Hit]:
    """民转刑: the year's cases flagged at risk of turning criminal (intake.risk, or a person)."""
    found = year_cases(region, year).filter(is_criminal_risk=True).order_by("created_at", "id")
    why = gettext("risk of turning criminal")
    return [(pk, number, why) for pk, number in found.values_list("pk", "number")]


def collective_cases(region: Region, year: int) -> list[Hit]:
    """集体上访/群体性事件: the year's cases flagged 群体性 (many people, collective action), and
    petitions that came through the 信访 channel as a collective petition (5 or more people)."""
    found = (
        year_cases(region, year)
        .filter(
            Q(is_mass=True)
            | Q(channel=Channel.PETITION, people_count__gte=COLLECTIVE_PETITION_PEOPLE)
        )
        .order_by("created_at", "id")
    )
    mass, petition = gettext("mass incident risk"), gettext("collective petition")
    return [
        (pk, number, mass if is_mass else petition)
        for pk, number, is_mass in found.values_list("pk", "number", "is_mass")
    ]


def _cases(region: Region, year: int, hits: list[Hit], what: str) -> Source:
    """The year's cases as a source: it has data when the region registered any case that year."""
    registered = year_cases(region, year).count()
    text = gettext("%(registered)s cases registered this year, %(what)s: %(n)s") % {
        "registered": registered,
        "what": what,
        "n": len(hits),
    }
    if hits:
        text += "（" + "、".join(number for _pk, number, _why in hits) + "）"
    return Source(text=text, count=Decimal(len(hits)), known=registered > 0, cases=hits)


def _decide(parts: list[list[Source]]) -> Decision:
    """Unmet if any source shows one; met if every part has a source with data; else undecided."""
    sources = [source for part in parts for source in part]
    shown = any(source.count > 0 for source in sources)
    known = all(any(source.known for source in part) for part in parts)
    met = False if shown else (True if known else None)
    return Decision(
        met=met,
        detail="；".join(source.text for source in sources),
        cases=tuple(case for source in sources for case in source.cases),
        rows=tuple(row for source in sources for row in source.rows),
    )


def _village_no_crime(region: Region, year: int) -> Decision:
    """村 4: 无故意犯罪刑事案件 (any sentence: the village's own figure; one sentenced to 3+ years
    is one too), 无重大民转刑案件 (imported 民转刑命案 and the flagged cases)."""
    return _decide(
        [
            [
                _imported(X.INTENTIONAL_CRIMES, region, year),
                _imported(X.SERIOUS_INTENTIONAL_CRIMES, region, year, settles=False),
            ],
            [
                _imported(X.CIVIL_TO_CRIMINAL_HOMICIDES, region, year),
                _cases(region, year, criminal_cases(region, year), gettext("turned criminal")),
            ],
        ]
    )


def _township_no_crime(region: Region, year: int) -> Decision:
    """镇 8: 无判处三年以上有期徒刑的故意犯罪刑事案件, 无重大民转刑案件."""
    return _decide(
        [
            [_imported(X.SERIOUS_INTENTIONAL_CRIMES, region, year)],
            [
                _imported(X.CIVIL_TO_CRIMINAL_HOMICIDES, region, year),
                _cases(region, year, criminal_cases(region, year), gettext("turned criminal")),
            ],
        ]
    )


def _no_mass(region: Region, year: int) -> Decision:
    """村 5 / 镇 9: 无集体上访和群体性事件 (imported 群体性事件 and the collective cases and
    petitions), 无进京访、非正常信访 (imported)."""
    return _decide(
        [
            [
                _imported(X.MASS_INCIDENTS, region, year),
                _cases(region, year, collective_cases(region, year), gettext("collective")),
            ],
            [_imported(X.IRREGULAR_PETITIONS, region, year)],
        ]
    )


def _indicators_met(*codes: str) -> Auto:
    def decide(region: Region, year: int) -> Decision:
        parts, met, rows = [], True, []
        for code in codes:
            figure = compute(definitions.BY_CODE[code], region, _year(year))
            if figure.met is None:
                return Decision(
                    None,
                    str(_("Not enough data for: %(name)s")) % {"name": figure.indicator.name},
                )
            parts.append(f"{figure.indicator.name} {figure.value}（{figure.target}）")
            met = met and figure.met
            terms = [*figure.numerator, *figure.denominator, *filter(None, [figure.baseline])]
            rows += [(row.pk, _row_text(row)) for term in terms for row in term.figures]
        return Decision(met, "；".join(parts), rows=tuple(rows))

    return decide


def _all_taken_in(region: Region, year: int) -> Decision:
    figure = compute(definitions.BY_CODE["handling_rate"], region, _year(year))
    if figure.value is None:
        return Decision(True, str(_("No dispute registered this year")))
    return Decision(figure.value >= 100, f"{figure.indicator.name} {figure.value}%")


def _village_share(region: Region, year: int) -> Decision:
    value, passed, villages = village_share(region, year)
    if value is None:
        return Decision(None, str(_("No village evaluated yet")))
    return Decision(value >= SHARE_TARGET_AFTER, f"{passed}/{villages} = {value}%")


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
        auto=_village_no_crime,
    ),
    Criterion(
        "v_no_mass_petition",
        VILLAGE,
        5,
        _("No collective petition or mass incident, no petition to Beijing or irregular petition"),
        auto=_no_mass,
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
        auto=_township_no_crime,
    ),
    Criterion(
        "t_no_mass_petition",
        TOWNSHIP,
        9,
        _("No collective petition or mass incident, no petition to Beijing or irregular petition"),
        auto=_no_mass,
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
