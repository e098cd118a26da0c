"""The 排查 summary workbook (.xlsx) and the 稳评 report (.docx)."""

import io
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext, pgettext
from docx import Document

from fengqiao.core import spreadsheet
from fengqiao.patrols.models import PatrolEntry, PatrolRound, StabilityAssessment


def summary_columns() -> list[str]:
    """The 排查表 columns (DOMAIN A4)."""
    return [
        gettext("Date of investigation"),
        pgettext("the village column of an investigation form", "Village"),
        gettext("Investigating unit or person"),
        gettext("Dispute situation"),
        gettext("Resolution measures"),
        gettext("Remarks"),
    ]


def summary_rows(rnd: PatrolRound, *, villages: Q) -> list[list[str]]:
    """The round's entries and zero reports from the villages ``villages`` selects (a Q over
    ``village``): a township round is open to its villages, but each sees only its own rows
    (issue #17: another village's entries, text and phone, were on the page and in the sheet)."""
    rows = []
    reports = rnd.reports.filter(villages)
    entries = PatrolEntry.objects.filter(report__in=reports).select_related(
        "report__village", "case"
    )
    for e in entries.order_by("report__village__code", "checked_on", "pk"):
        remarks = e.remarks
        if e.case is not None:
            label = gettext("Case")
            remarks = f"{remarks} {label} {e.case.number}".strip()
        rows.append(
            [
                e.checked_on.isoformat(),
                e.report.village.name,
                e.checker,
                e.situation,
                e.measures,
                remarks,
            ]
        )
    zero = reports.filter(is_zero=True).select_related("village")
    rows.extend(["", r.village.name, "", gettext("Zero report"), "", ""] for r in zero)
    return rows


def summary_sheet(rnd: PatrolRound, *, villages: Q) -> spreadsheet.Sheet:
    """Title row, unit, period, then the 排查表 columns and one row per entry, the date native."""
    widths = (12, 10, 18, 40, 30, 16)
    return spreadsheet.Sheet(
        name=gettext("Investigation"),
        title_rows=[
            gettext("Dispute investigation summary") + f"（{rnd.get_kind_display()}）",
            gettext("Unit") + f"：{rnd.region.name}",
            gettext("Period") + f"：{rnd.period_start.isoformat()} — {rnd.period_end.isoformat()}",
        ],
        columns=[
            spreadsheet.Column(header, width)
            for header, width in zip(summary_columns(), widths, strict=True)
        ],
        rows=[
            [date.fromisoformat(row[0]) if row[0] else None, *row[1:]]
            for row in summary_rows(rnd, villages=villages)
        ],
    )


def summary_xlsx(rnd: PatrolRound, *, villages: Q) -> bytes:
    """The 排查 summary workbook (``summary_sheet``) as bytes."""
    return spreadsheet.to_bytes([summary_sheet(rnd, villages=villages)])


def assessment_docx(a: StabilityAssessment) -> bytes:
    """The 风险评估报告 (重大行政决策程序暂行条例 art.23): risk points, measures, opinions, level,
    contingency plan, decision."""
    doc = Document()
    doc.add_heading(gettext("Social stability risk assessment report"), level=1)
    doc.add_paragraph(gettext("Subject") + f"：{a.subject}")
    doc.add_paragraph(gettext("Deciding body") + f"：{a.deciding_body}")
    doc.add_paragraph(gettext("Assessing body") + f"：{a.assessor}")
    doc.add_paragraph(gettext("Risk level") + f"：{a.get_level_display()}")
    doc.add_paragraph(gettext("Public attitude") + f"：{a.get_attitude_display()}")
    if a.summary:
        doc.add_paragraph(a.summary)
    doc.add_heading(gettext("Risk points and prevention measures"), level=2)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = gettext("Risk point")
    table.rows[0].cells[1].text = gettext("Prevention measure")
    for p in a.risk_points.all():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = p.description, p.measure
    doc.add_heading(gettext("Opinions heard"), level=2)
    for o in a.opinions.all():
        doc.add_paragraph(
            f"{o.held_on.isoformat()} {o.get_kind_display()}（{o.participants}）：{o.summary}"
        )
    doc.add_heading(gettext("Contingency plan"), level=2)
    doc.add_paragraph(a.contingency_plan or "—")
    doc.add_heading(gettext("Decision"), level=2)
    doc.add_paragraph(a.get_decision_display() if a.decision else gettext("Not decided yet"))
    if a.decision_note:
        doc.add_paragraph(a.decision_note)
    if a.followup:
        doc.add_paragraph(gettext("Follow-up") + f"：{a.followup}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
