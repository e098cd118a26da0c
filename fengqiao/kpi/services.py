"""Writes of the KPI app: importing external figures (all-or-nothing, row by row)."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.kpi.choices import ExternalMetric
from fengqiao.kpi.models import ExternalFigure
from fengqiao.regions.models import Region

FIGURE_HEADERS = {
    "区划代码": "region",
    "指标": "metric",
    "开始日期": "period_start",
    "结束日期": "period_end",
    "数值": "value",
    "来源": "source",
}


def metric_names() -> dict[str, str]:
    """Column text → figure code: the name in the active language, or the code itself."""
    return {
        **{str(m.label): m.value for m in ExternalMetric},
        **{m.value: m.value for m in ExternalMetric},
    }


@dataclass
class FigureImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    region: Region
    metric: str
    period_start: date
    period_end: date
    value: Decimal
    source: str


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        return None


def _parse(
    number: int, raw: dict[str, Any], actor: User, errors: list[RowError], names: dict[str, str]
) -> _Row | None:
    before = len(errors)
    code = str(raw.get("region") or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None:
        errors.append(RowError(number, "区划代码", gettext("No division has this code.")))
    elif not access.can(actor, Capability.CASE_SUPERVISE, prefix=region.prefix):
        errors.append(
            RowError(number, "区划代码", gettext("This place is outside your jurisdiction."))
        )
    metric = names.get(str(raw.get("metric") or "").strip())
    if metric is None:
        errors.append(
            RowError(number, "指标", gettext("Unknown figure: use a name from the template."))
        )
    start, end = _date(raw.get("period_start")), _date(raw.get("period_end"))
    if start is None:
        errors.append(RowError(number, "开始日期", gettext("Enter a date such as 2026-01-01.")))
    if end is None:
        errors.append(RowError(number, "结束日期", gettext("Enter a date such as 2026-12-31.")))
    if start and end and end < start:
        errors.append(RowError(number, "结束日期", gettext("The end is before the start.")))
    try:
        value = Decimal(str(raw.get("value")).strip().replace(",", ""))
        if value < 0 or not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.append(RowError(number, "数值", gettext("Enter a number that is not negative.")))
        value = Decimal(0)
    source = str(raw.get("source") or "").strip()
    if not source:
        errors.append(RowError(number, "来源", gettext("Say where the figure comes from.")))
    if len(errors) > before or region is None or metric is None or not start or not end:
        return None
    return _Row(number, region, metric, start, end, value, source[:200])


def figures_import(*, actor: User, path: Path, dry_run: bool = False) -> FigureImportResult:
    """Store external figures from a sheet with the columns of ``FIGURE_HEADERS``; nothing is
    stored unless every row is right. A figure for the same region, metric and period replaces
    the earlier one (the source and file hash record where each value came from).

    Raises:
        InvalidInput: the file cannot be read or lacks a column.
    """
    errors: list[RowError] = []
    rows: list[_Row] = []
    seen: dict[tuple[str, str, date, date], int] = {}
    names = metric_names()
    for number, raw in read_rows(path, FIGURE_HEADERS):
        row = _parse(number, raw, actor, errors, names)
        if row is None:
            continue
        key = (row.region.code, row.metric, row.period_start, row.period_end)
        if key in seen:
            errors.append(
                RowError(number, "指标", gettext("Same figure as row {row}.").format(row=seen[key]))
            )
        seen[key] = number
        rows.append(row)
    result = FigureImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    if result.errors or dry_run:
        return result
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        for row in rows:
            _figure, created = ExternalFigure.objects.update_or_create(
                region=row.region,
                metric=row.metric,
                period_start=row.period_start,
                period_end=row.period_end,
                defaults={
                    "value": row.value,
                    "source": row.source,
                    "file_sha256": digest,
                    "row_number": row.number,
                    "imported_by": actor,
                },
            )
            result.created += created
            result.updated += not created
        if rows:
            record(
                actor=actor,
                action=AuditAction.FIGURES_IMPORTED,
                target=min((r.region for r in rows), key=lambda r: len(r.prefix)),
                extra={"figures": len(rows), "file": path.name, "sha256": digest},
            )
    return result
