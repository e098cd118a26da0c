"""The indicators of the plans (DOMAIN A5) as versioned definitions: what is counted above and
below the line, from which counters or imported figures, the target, and the policy text.

A definition never changes meaning silently: a new formula is a new ``version`` with its own
``changed`` note, and every computed figure names the version it used.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from fengqiao.kpi.choices import ExternalMetric as X
from fengqiao.kpi.choices import Metric as M
from fengqiao.kpi.wusong import share_target


class Unit(StrEnum):
    PERCENT = "percent"  # numerator ÷ denominator × 100
    PER_10K = "per_10k"  # numerator ÷ (denominator ÷ 10,000)
    COUNT = "count"  # numerator alone


class Op(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUALS = "=="


@dataclass(frozen=True, slots=True)
class Term:
    """One summand: a rollup counter (optionally only at some handling levels), or an imported
    figure. ``sign`` -1 subtracts it (e.g. registered minus merged duplicates)."""

    metric: str
    external: bool = False
    levels: tuple[int, ...] = ()
    sign: int = 1
    evaluation: bool = False  # from the confirmed 无讼 evaluations (passed_villages, villages)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    version: int
    name: StrOrPromise
    unit: Unit
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...] = ()
    target_op: Op | None = None
    target: Decimal | None = None
    # a target relative to another figure: "≤ 50% of the city's previous-year rate"
    target_of: Term | None = None
    # a target that changes with the year (无讼村 share: 45/60/75/80%)
    target_by_year: Callable[[int], Decimal] | None = None
    formula: StrOrPromise = ""
    basis: str = ""
    changed: str = ""
    tags: tuple[str, ...] = field(default=())


def t(metric: str, *, levels: tuple[int, ...] = (), sign: int = 1) -> Term:
    return Term(metric=str(metric), levels=levels, sign=sign)


def x(metric: str) -> Term:
    return Term(metric=str(metric), external=True)


DISPUTES = (t(M.REGISTERED), t(M.MERGED, sign=-1))  # a merged duplicate is one dispute, not two

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="handling_rate",
        version=1,
        name=_("Handling rate (调处率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.ACCEPTED),),
        denominator=DISPUTES,
        target_op=Op.AT_LEAST,
        target=Decimal(100),
        formula=_("disputes taken into handling ÷ disputes registered (merged duplicates once)"),
        basis="静河镇诉源治理实施方案：矛盾纠纷调处率达到100%",
    ),
    Indicator(
        code="resolution_success_rate",
        version=1,
        name=_("Mediation success rate (调处成功率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.RESOLVED),),
        denominator=(t(M.RESOLVED), t(M.TERMINATED)),
        target_op=Op.AT_LEAST,
        target=Decimal(98),
        formula=_("agreements reached ÷ mediations concluded (agreement or termination)"),
        basis="静河镇诉源治理实施方案：调处成功率达到98%以上",
    ),
    Indicator(
        code="local_resolution_rate",
        version=1,
        name=_("Resolved locally (就地化解率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.RESOLVED, levels=(4, 5)),),
        denominator=(t(M.RESOLVED),),
        formula=_("agreements reached by village or township units ÷ all agreements reached"),
        basis="小事不出村、大事不出镇、难事不出县：就地化解率明显上升",
    ),
    Indicator(
        code="on_time_rate",
        version=1,
        name=_("Concluded on time (按期办结率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.CONCLUDED_ON_TIME),),
        denominator=(t(M.CONCLUDED),),
        formula=_("cases concluded by their due date ÷ cases concluded"),
        basis="一事一交办、限期化解",
    ),
    Indicator(
        code="satisfaction_rate",
        version=1,
        name=_("Satisfaction at follow-up (回访满意率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.SATISFIED), t(M.FAIRLY_SATISFIED)),
        denominator=(t(M.SATISFIED), t(M.FAIRLY_SATISFIED), t(M.DISSATISFIED)),
        formula=_("follow-up visits rated satisfied or fairly satisfied ÷ follow-up visits rated"),
        basis="人民调解回访制度：回访当事人满意度（满意/基本满意/不满意）",
    ),
    Indicator(
        code="litigation_rate",
        version=1,
        name=_("Lawsuits per 10,000 residents (万人起诉率)"),
        unit=Unit.PER_10K,
        numerator=(x(X.COURT_CIVIL_FIRST), x(X.COURT_CRIMINAL_FIRST)),
        denominator=(x(X.POPULATION),),
        target_op=Op.AT_MOST,
        target=Decimal("0.5"),
        target_of=x(X.CITY_PRIOR_LITIGATION_RATE),
        formula=_(
            "first-instance civil and criminal cases with the defendant here ÷ residents in "
            "ten thousands"
        ),
        basis="无讼村(社区)创建标准：万人起诉率不高于全市上一年度的50%",
    ),
    Indicator(
        code="prelitigation_success_rate",
        version=1,
        name=_("Pre-litigation mediation success rate (诉前调解成功率)"),
        unit=Unit.PERCENT,
        numerator=(x(X.PRELITIGATION_SUCCESS),),
        denominator=(x(X.PRELITIGATION_TOTAL),),
        target_op=Op.AT_LEAST,
        target=Decimal(80),
        formula=_("successful pre-litigation mediations ÷ pre-litigation mediations"),
        basis="无讼乡镇创建标准：诉前调解成功率达到80%以上",
    ),
    Indicator(
        code="prelitigation_diversion_rate",
        version=1,
        name=_("Pre-litigation diversion rate (诉前调解分流率)"),
        unit=Unit.PERCENT,
        numerator=(x(X.PRELITIGATION_TOTAL),),
        denominator=(x(X.COURT_CIVIL_FIRST),),
        target_op=Op.AT_LEAST,
        target=Decimal(60),
        formula=_("pre-litigation mediation cases ÷ first-instance civil cases (defendant here)"),
        basis="无讼乡镇创建标准：诉前调解分流率达到60%以上",
    ),
    Indicator(
        code="platform_share",
        version=1,
        name=_("Share accepted on the court platform (平台上受理纠纷比)"),
        unit=Unit.PERCENT,
        numerator=(x(X.PLATFORM_ACCEPTED),),
        denominator=(x(X.PLATFORM_RESIDENT_PRELITIGATION),),
        target_op=Op.AT_LEAST,
        target=Decimal(10),
        formula=_(
            "disputes the unit accepted on the court mediation platform ÷ pre-litigation cases "
            "with a party living here"
        ),
        basis="无讼乡镇创建标准：平台上受理纠纷比不低于10%",
    ),
    Indicator(
        code="platform_success_rate",
        version=1,
        name=_("Platform mediation success rate (调解化解成功率)"),
        unit=Unit.PERCENT,
        numerator=(x(X.PLATFORM_RESOLVED),),
        denominator=(x(X.PLATFORM_MEDIATED),),
        target_op=Op.AT_LEAST,
        target=Decimal(70),
        formula=_("disputes resolved on the platform ÷ disputes mediated on the platform"),
        basis="无讼乡镇创建标准：调解化解成功率不低于70%",
    ),
    *(
        Indicator(
            code=f"count_{metric.value}",
            version=1,
            name=metric.label,
            unit=Unit.COUNT,
            numerator=(x(metric),),
            target_op=Op.EQUALS if zero else None,
            target=Decimal(0) if zero else None,
            formula=_("imported count"),
            basis="无讼村(社区)、无讼乡镇创建标准" if zero else "诉源治理：明显下降",
            tags=("count",),
        )
        for metric, zero in (
            (X.POLICE_DISPUTE_CALLS, False),
            (X.PETITIONS, False),
            (X.CIVIL_FILINGS, False),
            (X.CIVIL_TO_CRIMINAL_HOMICIDES, True),
            (X.MASS_INCIDENTS, True),
            (X.IRREGULAR_PETITIONS, True),
            (X.SERIOUS_INTENTIONAL_CRIMES, True),
        )
    ),
    Indicator(
        code="wusong_share",
        version=1,
        name=_("Share of 无讼 villages and communities (无讼村(社区)占比)"),
        unit=Unit.PERCENT,
        numerator=(Term("passed_villages", evaluation=True),),
        denominator=(Term("villages", evaluation=True),),
        target_op=Op.AT_LEAST,
        target=Decimal(80),
        target_by_year=share_target,
        formula=_("villages and communities that passed the yearly evaluation ÷ all of them"),
        basis="创建目标：2023年底不少于45%，2024年底不低于60%，2025年底不低于75%；标准：不低于80%",
    ),
    Indicator(
        code="registered",
        version=1,
        name=_("Disputes registered"),
        unit=Unit.COUNT,
        numerator=DISPUTES,
        formula=_("cases registered, a merged duplicate counted once"),
        tags=("count",),
    ),
    Indicator(
        code="risk_flagged",
        version=1,
        name=_("Cases flagged at risk of escalation"),
        unit=Unit.COUNT,
        numerator=(t(M.RISK_FLAGGED),),
        formula=_("cases whose risk signals were raised (民转刑, 群体性, 极端)"),
        basis="人民调解法第二十五条：对有可能激化的矛盾纠纷及时采取预防措施",
        tags=("count",),
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
