"""The indicators of the plans (DOMAIN A5) as versioned definitions: what is counted above and
below the line, from which counters or imported figures, the target, the policy text, and the
counting rule an office explains to an inspector (unit of count, cohort, and what reopening,
withdrawal, decline, transfer, escalation and merger do). ``docs/indicators.md`` is generated
from these (``manage.py indicators_doc``; a test fails when it is stale).

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
from fengqiao.kpi.share import share_target


class Unit(StrEnum):
    PERCENT = "percent"  # numerator ÷ denominator × 100
    PER_10K = "per_10k"  # numerator ÷ (denominator ÷ 10,000)
    COUNT = "count"  # numerator alone


class Trend(StrEnum):
    """A year-on-year target (明显下降 / 明显提升): compared with the calendar year before."""

    DECLINE = "decline"
    RISE = "rise"


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
    local: bool = False  # only results of units at the region's own level or below (就地)


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
    basis: str = ""  # the seed / plan sentence the indicator comes from
    changed: str = ""
    tags: tuple[str, ...] = field(default=())
    # the counting rule, in Chinese (for docs/indicators.md and the page)
    # a year-on-year target: the value must fall (or rise) against 上一年度, with the sentence
    trend: Trend | None = None
    trend_basis: str = ""
    counted: str = ""  # unit of count: 一件案件, not an event
    cohort: str = ""  # which cases belong to a period
    lifecycle: tuple[tuple[str, str], ...] = ()  # (重新办理/撤回/…, what it does to the figure)


REOPEN, WITHDRAW, DECLINE = "重新办理", "撤回", "不予受理"
TRANSFER, ESCALATE, MERGE = "移交", "上报上级", "并案"
CASE = "一件案件计一次（不是一条事件记录）"
REGISTRATION_COHORT = "本期登记的案件（按登记日归期），其后续办理跟踪至今日"
CONCLUSION_COHORT = (
    "本期最终办结的案件，按最终办结日归期；办结指调解成功、终止调解、不予受理或撤回（不含并案），"
    "归档不是办结"
)
REOPENED = (
    "先前的办结从其当时所计的月份撤回（不在重新办理的月份减），案件再次办结时计入再次办结的月份；"
    "任何月份的数都不会为负"
)
NOT_A_CONCLUSION_CHANGE = "不影响本指标，只改变办结时所计的办理层级（以最终办结单位的层级计）"
MERGED_ONCE = "被并入的重复登记不计，同一纠纷只在主案件上计一次"
EXTERNAL = (
    "导入数据（外部来源），每个数值保留来源、所属年度和导入文件；缺少的数值显示为缺失，不按零计"
)


THREE_SOURCES = "《基层社会治理一体推进警源诉源访源“三源共治”实施方案》"  # seeds/002
NO_LITIGATION = "《开展“宁人息事”无讼创建工作方案》"  # seeds/003


def t(metric: str, *, levels: tuple[int, ...] = (), sign: int = 1) -> Term:
    return Term(metric=str(metric), levels=levels, sign=sign)


def x(metric: str) -> Term:
    return Term(metric=str(metric), external=True)


# 行政调解 as its own kind of mediation (issue #14 item 6), from the plan's own sentence
ADMINISTRATIVE_BASIS = (
    "静河镇诉源治理实施方案：建立健全行政调解工作机制，明确调解范围、调解主体、调解流程、调解协议"
)
DISPUTES = (t(M.REGISTERED), t(M.MERGED, sign=-1))  # a merged duplicate is one dispute, not two
NOT_CASES = ((REOPEN, "不适用（外部数据）"),)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        code="handling_rate",
        version=2,
        name=_("Handling rate (调处率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.ACCEPTED),),
        denominator=(t(M.HANDLING_DUE),),
        target_op=Op.AT_LEAST,
        target=Decimal(100),
        formula=_(
            "disputes registered in the period and taken into handling ÷ disputes registered in "
            "the period that were due for handling (not merged, declined or withdrawn first)"
        ),
        basis="静河镇诉源治理实施方案：矛盾纠纷调处率达到100%",
        changed="v2：分子分母为同一批案件（本期登记者），不予受理、受理前撤回和并案不计入分母；"
        "v1 以本期受理数除以本期登记数，可超过100%",
        counted=CASE,
        cohort=REGISTRATION_COHORT,
        lifecycle=(
            (REOPEN, "重新办理的案件算作已受理"),
            (WITHDRAW, "受理前撤回的不计入分母；受理后撤回的仍算已受理"),
            (DECLINE, "依法不予受理的不计入分母（不应调处）"),
            (TRANSFER, "不影响；接收单位受理即算受理，一件案件只算一次"),
            (ESCALATE, "不影响；同移交"),
            (MERGE, MERGED_ONCE),
        ),
    ),
    Indicator(
        code="resolution_success_rate",
        version=2,
        name=_("Mediation success rate (调处成功率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.RESOLVED),),
        denominator=(t(M.MEDIATION_CONCLUDED),),
        target_op=Op.AT_LEAST,
        target=Decimal(98),
        formula=_(
            "agreements reached ÷ handled cases concluded (agreement, termination, or withdrawal "
            "after being taken into handling)"
        ),
        basis="静河镇诉源治理实施方案：调处成功率达到98%以上",
        trend=Trend.RISE,
        trend_basis=THREE_SOURCES + "：实现矛盾纠纷调解成功率明显提升",
        changed="v2：受理后撤回的案件计入分母；v1 分母只含调解成功与终止调解",
        counted=CASE,
        cohort=CONCLUSION_COHORT + "；只计受理调处过的案件",
        lifecycle=(
            (REOPEN, REOPENED),
            (WITHDRAW, "受理后撤回计入分母（未成功）；受理前撤回不计"),
            (DECLINE, "不予受理的未经调处，不计"),
            (TRANSFER, NOT_A_CONCLUSION_CHANGE),
            (ESCALATE, NOT_A_CONCLUSION_CHANGE),
            (MERGE, MERGED_ONCE),
        ),
    ),
    Indicator(
        code="administrative_mediations",
        version=1,
        name=_("Administrative mediations concluded (行政调解)"),
        unit=Unit.COUNT,
        numerator=(t(M.ADMIN_CONCLUDED),),
        formula=_(
            "handled cases an administrative body concluded by mediation (agreement, "
            "termination, or withdrawal after being taken into handling)"
        ),
        basis=ADMINISTRATIVE_BASIS,
        tags=("count",),
        counted=CASE + "；按最终办结单位判断：行政机关办结的计行政调解，调解委员会办结的不计",
        cohort=CONCLUSION_COHORT + "；只计受理调处过的案件",
        lifecycle=(
            (REOPEN, REOPENED),
            (WITHDRAW, "受理后由行政机关办结时撤回的计入；受理前撤回不计"),
            (DECLINE, "不予受理的未经调处，不计"),
            (TRANSFER, "以最终办结的单位判断是否行政调解"),
            (ESCALATE, "以最终办结的单位判断是否行政调解"),
            (MERGE, MERGED_ONCE),
        ),
    ),
    Indicator(
        code="administrative_success_rate",
        version=1,
        name=_("Administrative mediation success rate (行政调解成功率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.ADMIN_RESOLVED),),
        denominator=(t(M.ADMIN_CONCLUDED),),
        formula=_(
            "agreements an administrative body reached ÷ handled cases it concluded by mediation"
        ),
        basis=ADMINISTRATIVE_BASIS,
        counted=CASE + "；按最终办结单位判断：行政机关办结的计行政调解，调解委员会办结的不计",
        cohort=CONCLUSION_COHORT + "；只计受理调处过的案件",
        lifecycle=(
            (REOPEN, REOPENED),
            (WITHDRAW, "受理后撤回计入分母（未成功）；受理前撤回不计"),
            (DECLINE, "不予受理的未经调处，不计"),
            (TRANSFER, "以最终办结的单位判断是否行政调解"),
            (ESCALATE, "以最终办结的单位判断是否行政调解"),
            (MERGE, MERGED_ONCE),
        ),
    ),
    Indicator(
        code="local_resolution_rate",
        version=2,
        name=_("Resolved locally (就地化解率)"),
        unit=Unit.PERCENT,
        numerator=(Term(str(M.RESOLVED), local=True),),
        denominator=(t(M.RESOLVED),),
        formula=_(
            "agreements reached by units at the region's own level or below ÷ all agreements "
            "reached for disputes arising there"
        ),
        basis="小事不出村、大事不出镇、难事不出县：就地化解率明显上升",
        trend=Trend.RISE,
        trend_basis=NO_LITIGATION + "：矛盾纠纷就地及时化解率明显上升",
        changed="v2：村的就地化解只计村级调解组织的成功调解，乡镇计乡镇及村级，县计县及以下；"
        "v1 对任何区域都计村级和乡镇级",
        counted=CASE,
        cohort=CONCLUSION_COHORT + "；只计调解成功的案件",
        lifecycle=(
            (REOPEN, REOPENED),
            (WITHDRAW, "撤回不是调解成功，不计"),
            (DECLINE, "不计"),
            (TRANSFER, "以最终达成协议的单位的层级判断是否就地"),
            (ESCALATE, "上报后由上级达成协议的，对下级区域不算就地化解"),
            (MERGE, MERGED_ONCE),
        ),
    ),
    Indicator(
        code="on_time_rate",
        version=2,
        name=_("Concluded on time (按期办结率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.CONCLUDED_ON_TIME),),
        denominator=(t(M.CONCLUDED),),
        formula=_("cases concluded by their due date ÷ cases concluded"),
        basis="一事一交办、限期化解",
        changed="v2：按最终办结计，办结日期和是否按期与调处台账、案件页同一定义"
        "（cases.conclusion）；并案不算办结",
        counted=CASE,
        cohort=CONCLUSION_COHORT + "；按期指办结日不晚于办结时有效的办理期限，没有期限的算按期",
        lifecycle=(
            (REOPEN, REOPENED),
            (WITHDRAW, "撤回是办结，按撤回日判断是否按期"),
            (DECLINE, "不予受理是办结，按决定日判断是否按期"),
            (TRANSFER, "以办结时有效的期限判断"),
            (ESCALATE, "以办结时有效的期限判断"),
            (MERGE, MERGED_ONCE + "；并案不算办结"),
        ),
    ),
    Indicator(
        code="satisfaction_rate",
        version=3,
        name=_("Satisfaction at follow-up (回访满意率)"),
        unit=Unit.PERCENT,
        numerator=(t(M.SATISFIED), t(M.FAIRLY_SATISFIED)),
        denominator=(t(M.SATISFIED), t(M.FAIRLY_SATISFIED), t(M.DISSATISFIED)),
        formula=_(
            "cases whose latest answer (a follow-up visit, or the applicant's rating on the "
            "portal) is satisfied or fairly satisfied ÷ cases with an answer"
        ),
        basis="人民调解回访制度：回访当事人满意度（满意/基本满意/不满意）",
        changed="v3：申请人在门户（网上）提交的结果评价与回访评价一并计入，两者不一致时以时间在后的为准；"
        "v2：按案件计（以最近一次评价为准），不再按回访次数计",
        counted=CASE + "；评价指回访记录的当事人满意度，或申请人在门户（网上）提交的结果评价；"
        "同一案件有多个评价时（多次回访，或回访与门户评价不一致）只以时间最晚的一个为准，"
        "时间指评价记入案件时间线的时刻（回访以登记回访记录时为准，门户评价以提交时为准）",
        cohort="最近一次评价在本期的案件（按该评价记入之日归期）：分母为这些案件，"
        "分子为其中最近一次评价为满意或基本满意的案件",
        lifecycle=(
            (REOPEN, "不影响已有评价；重新办结后的回访或门户评价在后，取代先前的"),
            (WITHDRAW, "有评价的照计"),
            (DECLINE, "有评价的照计"),
            (TRANSFER, "不影响"),
            (ESCALATE, "不影响"),
            (
                MERGE,
                "被并入的案件的评价仍按该案件计；并案后申请人在门户提交的评价记在主案件上",
            ),
        ),
    ),
    Indicator(
        code="litigation_rate",
        version=2,
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
        basis="无讼村(社区)创建标准：万人起诉率不高于全市上一年度万人起诉率的50%",
        trend=Trend.DECLINE,
        trend_basis=THREE_SOURCES
        + "：民事诉讼立案、万人诉讼率明显下降；"
        + NO_LITIGATION
        + "：诉讼案件数量明显下降",
        changed="v2：人口按区域和年度取本区域数据，不借用上级区域的人口（借用往年或区划登记人口时"
        "标为估算并注明来源）；对比基准为期末所在年度的上一自然年的全市万人起诉率",
        counted="法院一审民事、刑事案件数（被告住所地在本区域），导入",
        cohort=EXTERNAL + "；人口取本区域本年度常住人口",
        lifecycle=NOT_CASES,
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
            basis="无讼村(社区)、无讼乡镇创建标准" if zero else THREE_SOURCES + "：" + decline,
            trend=None if zero else Trend.DECLINE,
            trend_basis="" if zero else THREE_SOURCES + "：" + decline,
            tags=("count",),
        )
        for metric, zero, decline in (
            (X.POLICE_DISPUTE_CALLS, False, "年内纠纷类报警总量明显下降"),
            (X.PETITIONS, False, "信访总量明显下降"),
            (X.CIVIL_FILINGS, False, "民事诉讼立案明显下降"),
            (X.CIVIL_TO_CRIMINAL_HOMICIDES, True, ""),
            (X.MASS_INCIDENTS, True, ""),
            (X.IRREGULAR_PETITIONS, True, ""),
            (X.SERIOUS_INTENTIONAL_CRIMES, True, ""),
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
        counted="一个村（社区）计一次",
        cohort="期末所在年度已确认的无讼村(社区)评价；分母为本区域全部村（社区）",
        lifecycle=((REOPEN, "不适用；评价确认后不再改变"),),
    ),
    Indicator(
        code="registered",
        version=2,
        name=_("Disputes registered"),
        unit=Unit.COUNT,
        numerator=DISPUTES,
        formula=_("cases registered, a merged duplicate counted once"),
        basis=NO_LITIGATION + "：矛盾纠纷数量明显下降",
        trend=Trend.DECLINE,
        trend_basis=NO_LITIGATION + "：矛盾纠纷数量明显下降",
        tags=("count",),
        changed="v2：并案从被并入案件的登记月份减去（v1 在并案当月减，可使当月为负）",
        counted=CASE,
        cohort=REGISTRATION_COHORT,
        lifecycle=(
            (REOPEN, "不影响"),
            (WITHDRAW, "照计"),
            (DECLINE, "照计（登记了即计）"),
            (TRANSFER, "不影响"),
            (ESCALATE, "不影响"),
            (MERGE, MERGED_ONCE + "（从其登记月份减去）"),
        ),
    ),
    Indicator(
        code="risk_flagged",
        version=2,
        name=_("Cases flagged at risk of escalation"),
        unit=Unit.COUNT,
        numerator=(t(M.RISK_FLAGGED),),
        formula=_("cases whose risk signals were raised (民转刑, 群体性, 极端)"),
        basis="人民调解法第二十五条：对有可能激化的矛盾纠纷及时采取预防措施",
        tags=("count",),
        changed="v2：一件案件只计一次（v1 每次标记都计）",
        counted=CASE + "；多次标记只计第一次",
        cohort="首次标记风险在本期的案件（按首次标记日归期）",
        lifecycle=(
            (REOPEN, "不影响"),
            (WITHDRAW, "不影响"),
            (DECLINE, "不影响"),
            (TRANSFER, "不影响"),
            (ESCALATE, "不影响"),
            (MERGE, "不影响"),
        ),
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
IMPORTED = "导入的数值（不是本系统的案件）"


def counting_rule(indicator: Indicator) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """(unit of count, cohort, lifecycle effects): written down, or for a figure made only of
    imported values, the rule every imported figure follows."""
    if indicator.counted:
        return indicator.counted, indicator.cohort, indicator.lifecycle
    return IMPORTED, EXTERNAL, NOT_CASES
