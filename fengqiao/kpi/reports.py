"""月度/季度分析报告: a .docx with the period's figures, the indicators against their targets,
tables and bar charts (drawn as PNG with Pillow and the Noto CJK font, so Word and WPS show them
without any chart engine)."""

import calendar
import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from PIL import Image, ImageDraw, ImageFont

from fengqiao.core import clock
from fengqiao.kpi import selectors
from fengqiao.kpi.choices import Metric
from fengqiao.kpi.definitions import Trend
from fengqiao.kpi.periods import MONTHLY, Period, period_name
from fengqiao.kpi.selectors import Figure, Series
from fengqiao.regions.models import Region

FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
)
BAR_COLOURS = ((11, 110, 79), (181, 71, 8), (31, 41, 51))


def previous_period(kind: str, today: date) -> Period:
    """The last whole month or quarter before ``today``."""
    if kind == MONTHLY:
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    end = today.replace(month=quarter_start_month, day=1) - timedelta(days=1)
    start_month = 3 * ((end.month - 1) // 3) + 1
    return Period(
        date(end.year, start_month, 1),
        date(end.year, end.month, calendar.monthrange(end.year, end.month)[1]),
    )


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def bar_chart_png(series: Series, *, width: int = 1200, row: int = 44) -> bytes:
    """A horizontal bar chart of ``series`` (one bar group per label) as PNG bytes."""
    names = list(series.values)
    labels = series.labels or ["—"]
    height = 90 + row * len(labels) * max(len(names), 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, font = _font(30), _font(22)
    draw.text((20, 16), series.title, fill=(31, 41, 51), font=title_font)
    top, left, right = 70, 300, width - 120
    peak = max([v for values in series.values.values() for v in values if v] or [1]) or 1
    y = top
    for index, label in enumerate(labels):
        draw.text((20, y + 6), label[:12], fill=(31, 41, 51), font=font)
        for n, name in enumerate(names):
            value = series.values[name][index] if index < len(series.values[name]) else 0
            if value is None:  # 无数据: no bar, the words instead
                draw.text((left + 8, y + 6), "无数据", fill=(110, 110, 110), font=font)
                y += row
                continue
            length = int((right - left) * value / peak)
            colour = BAR_COLOURS[n % len(BAR_COLOURS)]
            draw.rectangle((left, y + 6, left + max(length, 2), y + row - 8), fill=colour)
            draw.text((left + length + 8, y + 6), f"{value:g}", fill=(31, 41, 51), font=font)
            y += row
    if len(names) > 1:
        x = left
        for n, name in enumerate(names):
            draw.rectangle((x, 20, x + 18, 38), fill=BAR_COLOURS[n % len(BAR_COLOURS)])
            draw.text((x + 24, 14), name, fill=(31, 41, 51), font=font)
            x += 40 + int(draw.textlength(name, font=font))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _set_fonts(document: Document) -> None:  # type: ignore[valid-type]
    style = document.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _figure_text(figure: Figure) -> str:
    if figure.value is None:
        return "无数据"
    suffix = {"percent": "%", "per_10k": "‱"}.get(figure.indicator.unit, "")
    return f"{figure.value}{suffix}"


def _target_text(figure: Figure) -> str:
    if figure.target is None or figure.indicator.target_op is None:
        return "—"
    suffix = {"percent": "%", "per_10k": "‱"}.get(figure.indicator.unit, "")
    return f"{figure.indicator.target_op} {figure.target}{suffix}"


def _trend_text(figure: Figure) -> str:
    """上一年度 beside this period, and whether the figure fell (or rose) as the plan wants."""
    trend = figure.trend
    if trend is None:
        return "—"
    before = _figure_text(trend.previous)
    text = f"{trend.period.start.year}年 {before} → 本期 {_figure_text(figure)}"
    down = trend.direction == Trend.DECLINE
    verdict = {
        True: "已下降" if down else "已提升",
        False: "未下降" if down else "未提升",
        None: "无数据" if trend.judged else "只在完整年度结束后比较",
    }[trend.met]
    return f"{text}（{verdict}）"


def _cell_text(value: object) -> str:
    if value is None:
        return "无数据"
    return f"{value:g}" if isinstance(value, float) else str(value)


def build_report(region: Region, kind: str, period: Period) -> bytes:
    """The analysis report as .docx bytes."""
    figures = {f.indicator.code: f for f in selectors.figures_for(region, period)}
    series = {s.key: s for s in selectors.dashboard_series(region, period)}
    registered = selectors.counter(Metric.REGISTERED, region, period)
    concluded = selectors.counter(Metric.CONCLUDED, region, period)
    resolved = selectors.counter(Metric.RESOLVED, region, period)
    overdue = selectors.counter(Metric.OVERDUE, region, period)
    risk = selectors.counter(Metric.RISK_FLAGGED, region, period)

    document = Document()
    _set_fonts(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{region.name}{period_name(kind, period)}矛盾纠纷分析报告")
    run.bold, run.font.size = True, Pt(20)
    meta = document.add_paragraph(
        f"统计期间：{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}    "
        f"生成时间：{timezone.localtime(clock.now()):%Y-%m-%d %H:%M}"
    )
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("一、总体情况", level=2)
    document.add_paragraph(
        f"本期共登记矛盾纠纷 {registered} 件，办结 {concluded} 件，其中调解成功 {resolved} 件；"
        f"标记超期 {overdue} 件，风险预警 {risk} 件。"
    )

    document.add_heading("二、指标完成情况", level=2)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        ("指标", "本期结果", "目标", "是否达标", "与上一年度比较"),
        strict=True,
    ):
        cell.text = text
    for figure in figures.values():
        if figure.value is None and figure.indicator.unit == "count":
            continue  # imported counts not supplied for this region: not part of this report
        cells = table.add_row().cells
        cells[0].text = str(figure.indicator.name)
        cells[1].text = _figure_text(figure)
        cells[2].text = _target_text(figure)
        cells[3].text = {True: "达标", False: "未达标", None: "—"}[figure.met]
        cells[4].text = _trend_text(figure)

    for number, key in (
        ("三", "channel"),
        ("四", "category_id"),
        ("五", "level"),
        ("六", "ranking"),
    ):
        chart = series.get(key)
        if chart is None:
            continue
        document.add_heading(f"{number}、{chart.title}", level=2)
        if not chart.labels:
            document.add_paragraph("本期无数据。")
            continue
        document.add_picture(io.BytesIO(bar_chart_png(chart)), width=Cm(16))
        columns: dict[str, Sequence[float | str | None]] = {**chart.values, **chart.table}
        rows = document.add_table(rows=1, cols=1 + len(columns))
        rows.style = "Table Grid"
        header = rows.rows[0].cells
        header[0].text = "项目"
        for cell, name in zip(header[1:], columns, strict=True):
            cell.text = name
        for index, label in enumerate(chart.labels):
            cells = rows.add_row().cells
            cells[0].text = label
            for cell, values in zip(cells[1:], columns.values(), strict=True):
                cell.text = _cell_text(values[index])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
