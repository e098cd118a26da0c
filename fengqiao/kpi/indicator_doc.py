"""docs/indicators.md, rendered from the definitions (``manage.py indicators_doc --output
docs/indicators.md``): the counting rule of every indicator in Chinese, for the offices that
must explain a figure to an inspector. A test fails when the committed file is stale."""

from django.utils import translation

from fengqiao.kpi.choices import ExternalMetric, Metric
from fengqiao.kpi.definitions import INDICATORS, Indicator, Op, Trend, Unit, counting_rule

UNITS = {
    Unit.PERCENT: "百分比（分子 ÷ 分母 × 100）",
    Unit.PER_10K: "每万人（分子 ÷ 分母 × 10000）",
    Unit.COUNT: "件数",
}
OPS = {Op.AT_LEAST: "不低于", Op.AT_MOST: "不高于", Op.EQUALS: "等于"}

HEADER = """# 指标口径说明

本文件由 `python manage.py indicators_doc --output docs/indicators.md` 根据
`fengqiao/kpi/definitions.py` 中的指标定义生成，请勿手工修改。

所有指标共同遵守的规则：

- 每项占比满足 0 ≤ 分子 ≤ 分母，占比不超过 100%；分母为零或缺少数据时显示“无数据”，不判定达标与否。
- 下钻清单列出的正是分子、分母所计的案件（每件案件计一次）。
- `manage.py verify_figures` 逐区域、逐月根据案件和事件重算全部指标，并与驾驶舱所示核对。
- 办结日期指最终办结（调解成功、终止调解、不予受理、撤回）的日期，归档不改变办结日期，并案不是办结；
  是否按期以办结时有效的期限判断。调处台账、指标和案件页使用同一定义（`cases.conclusion`）。
- 人口按区域和年度取本区域数据，从不借用上级区域的人口；
  借用往年数据或区划登记人口时标为“估算”并注明来源。
- “上一年度”指统计期末所在年度的上一个自然年。
- 方案要求“明显下降”“明显提升（上升）”的指标，与上一年度整年的同一指标比较，页面同时列出两年的数值；
  任一年度无数据时显示“无数据”，不作判定。方案未给出“明显”的幅度：低于（高于）上一年度即为已下降（已提升），
  持平不算。占比不论统计期长短均可比较；件数和万人比率随期间长短变化，只在统计期为一个已经结束的完整自然年度时比较。
- 导入的外部数据（法院、公安、信访、人口）保留来源和年度；缺少的数据显示为缺失，不按零计。
"""


EVALUATION_TERMS = {"passed_villages": "通过评价的村（社区）", "villages": "村（社区）总数"}


def _metric_name(metric: str, external: bool, evaluation: bool) -> str:
    if evaluation:
        return EVALUATION_TERMS[metric]
    label = ExternalMetric(metric).label if external else Metric(metric).label
    return f"{label}（`{metric}`{'，导入' if external else ''}）"


def _terms(indicator: Indicator, part: str) -> str:
    terms = getattr(indicator, part)
    if not terms:
        return "—"
    out = ""
    for term in terms:
        name = _metric_name(term.metric, term.external, term.evaluation)
        if term.local:
            name += "（本级及以下办理）"
        elif term.levels:
            name += f"（层级 {','.join(map(str, term.levels))}）"
        out += (" − " if term.sign < 0 else " + " if out else "") + name
    return out


def _target(indicator: Indicator) -> str:
    if indicator.target_op is None or indicator.target is None:
        return "无"
    if indicator.target_by_year is not None:
        return "按年度：2023年 45%，2024年 60%，2025年 75%，其后 80%"
    text = f"{OPS[indicator.target_op]} {indicator.target:f}"
    if indicator.target_of is not None:
        return f"{OPS[indicator.target_op]}全市上一年度万人起诉率的 {indicator.target * 100:.0f}%"
    return text + ("%" if indicator.unit == Unit.PERCENT else "")


def _trend(indicator: Indicator) -> str:
    if indicator.trend is None:
        return "无"
    word = "明显下降" if indicator.trend == Trend.DECLINE else "明显提升"
    return f"较上一年度{word}（{indicator.trend_basis}）"


def render() -> str:
    with translation.override("zh-hans"):
        parts = [HEADER]
        for indicator in INDICATORS:
            counted, cohort, lifecycle = counting_rule(indicator)
            parts.append(
                f"\n## {indicator.name}（`{indicator.code}`，第 {indicator.version} 版）\n\n"
            )
            rows = [
                ("依据", indicator.basis or "—"),
                ("公式", str(indicator.formula) or "—"),
                ("计算方式", UNITS[indicator.unit]),
                ("分子", _terms(indicator, "numerator")),
                ("分母", _terms(indicator, "denominator")),
                ("目标", _target(indicator)),
                ("与上一年度比较", _trend(indicator)),
                ("计数单位", counted),
                ("统计口径", cohort),
            ]
            rows += [(event, effect) for event, effect in lifecycle]
            if indicator.changed:
                rows.append(("版本变化", indicator.changed))
            parts.append("| 项目 | 说明 |\n|---|---|\n")
            parts.append("".join(f"| {k} | {v} |\n" for k, v in rows))
        return "".join(parts)
