"""Writes of the KPI app: importing external figures (all-or-nothing, row by row) and the
yearly 无讼村(社区) / 无讼乡镇 evaluations."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import filetype
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.kpi import reports, wusong
from fengqiao.kpi.choices import ExternalMetric
from fengqiao.kpi.models import (
    AnalysisReport,
    Evaluation,
    EvaluationCheck,
    ExternalFigure,
    ReportSubscription,
)
from fengqiao.kpi.periods import Period
from fengqiao.notifications.services import notify
from fengqiao.regions.choices import RegionLevel
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


# --- 无讼村(社区) / 无讼乡镇 evaluations ---------------------------------------------------------

EVIDENCE_TYPES = {"image/jpeg", "image/png", "application/pdf"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _evaluation_kind(region: Region) -> str:
    return wusong.VILLAGE if region.level == RegionLevel.VILLAGE else wusong.TOWNSHIP


def may_evaluate(actor: User, region: Region) -> bool:
    """The unit above evaluates (a township its villages, a county its townships): the pages
    link an evaluation only for those who may open it (issue #21: a dead link)."""
    parent = region.parent
    return parent is not None and access.can(actor, Capability.CASE_SUPERVISE, prefix=parent.prefix)


def _require_evaluator(actor: User, region: Region) -> None:
    """Others see nothing (404)."""
    if not may_evaluate(actor, region):
        raise NotFound(gettext("Evaluation not found."))


def _refresh(evaluation: Evaluation) -> None:
    for check in evaluation.checks.filter(automatic=True):
        criterion = wusong.BY_CODE[check.criterion]
        assert criterion.auto is not None  # noqa: S101  automatic checks have a rule
        decision = criterion.auto(evaluation.region, evaluation.year)
        check.met, check.detail = decision.met, decision.detail[:500]
        check.decided_by, check.checked_at = decision.decided_by(), clock.now()
        check.save(update_fields=["met", "detail", "decided_by", "checked_at"])


@transaction.atomic
def evaluation_open(*, actor: User, region_code: str, year: int) -> Evaluation:
    """The evaluation of a village (or township) for ``year``, created with its checklist on
    first use; automatic criteria are recomputed while it is not confirmed.

    Raises:
        NotFound: no such region, or the actor does not evaluate it.
        InvalidInput: the region is neither a township nor a village.
    """
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if region is None:
        raise NotFound(gettext("Evaluation not found."))
    _require_evaluator(actor, region)
    if region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise InvalidInput(
            gettext("Only townships and villages are evaluated."),
            errors={"region": [gettext("Choose a township or a village.")]},
        )
    kind = _evaluation_kind(region)
    evaluation, created = Evaluation.objects.get_or_create(
        region=region, year=year, defaults={"kind": kind}
    )
    if created:
        EvaluationCheck.objects.bulk_create(
            EvaluationCheck(evaluation=evaluation, criterion=c.code, automatic=c.auto is not None)
            for c in wusong.criteria_for(kind)
        )
        record(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            target=evaluation,
            extra={"region": region.code, "year": year},
        )
    if evaluation.confirmed_at is None:
        _refresh(evaluation)
    return evaluation


@transaction.atomic
def check_record(
    *,
    actor: User,
    evaluation_id: int,
    criterion: str,
    met: bool | None,
    note: str = "",
    counts: list[int] | None = None,
    evidence: UploadedFile | None = None,
) -> EvaluationCheck:
    """Decide a criterion people decide, with a note and evidence (JPEG, PNG or PDF).

    Raises:
        NotFound: the evaluation is not the actor's to make.
        InvalidInput: field errors; nothing is stored.
    """
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("region__parent")
        .get(pk=evaluation_id)
    )
    _require_evaluator(actor, evaluation.region)
    check = evaluation.checks.filter(criterion=criterion).first()
    definition = wusong.BY_CODE.get(criterion)
    errors: dict[str, list[str]] = {}
    if check is None or definition is None or check.automatic:
        raise NotFound(gettext("Criterion not found."))
    if evaluation.confirmed_at is not None:
        errors["__all__"] = [gettext("The evaluation is confirmed and can no longer change.")]
    if definition.counts:
        given = counts or []
        if len(given) != len(definition.counts) or any(n < 0 for n in given):
            errors["counts"] = [gettext("Enter every number (0 or more).")]
        else:
            met = all(n >= least for n, least in zip(given, definition.minimums, strict=True))
    elif met is None:
        errors["met"] = [gettext("Say whether the criterion is met.")]
    if len(note) > 1000:
        errors["note"] = [gettext("At most 1000 characters.")]
    content = b""
    if evidence is not None:
        content = evidence.read(EVIDENCE_MAX_BYTES + 1)
        kind = filetype.guess(content)
        if len(content) > EVIDENCE_MAX_BYTES:
            errors["evidence"] = [gettext("The file is larger than 10 MB.")]
        elif kind is None or kind.mime not in EVIDENCE_TYPES:
            errors["evidence"] = [gettext("Upload a photo (JPEG, PNG) or a PDF.")]
    if met and not note.strip() and evidence is None and not check.evidence:
        errors["evidence"] = [gettext("Give evidence or a note for a criterion that is met.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    check.met, check.note, check.counts = met, note.strip(), list(counts or [])
    check.checked_by, check.checked_at = actor, clock.now()
    if evidence is not None:
        check.evidence.save(evidence.name or "evidence", ContentFile(content), save=False)
        check.evidence_name = (evidence.name or "")[:200]
        check.evidence_sha256 = hashlib.sha256(content).hexdigest()
    check.save()
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=evaluation,
        changes={criterion: [None, met]},
    )
    return check


@transaction.atomic
def evaluation_confirm(*, actor: User, evaluation_id: int) -> Evaluation:
    """Close the evaluation: every criterion must be decided; it passes when all are met.

    Raises:
        NotFound: not the actor's to confirm.
        InvalidInput: criteria still undecided (named), or already confirmed.
    """
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("region__parent")
        .get(pk=evaluation_id)
    )
    _require_evaluator(actor, evaluation.region)
    if evaluation.confirmed_at is not None:
        raise InvalidInput(
            gettext("The evaluation is already confirmed."),
            errors={"__all__": [gettext("The evaluation is already confirmed.")]},
        )
    _refresh(evaluation)
    open_items = [c.criterion for c in evaluation.checks.all() if c.met is None]
    if open_items:
        raise InvalidInput(
            gettext("Decide every criterion first."),
            errors={code: [gettext("Decide this criterion first.")] for code in open_items},
        )
    evaluation.passed = all(c.met for c in evaluation.checks.all())
    evaluation.confirmed_at, evaluation.confirmed_by = clock.now(), actor
    evaluation.save(update_fields=["passed", "confirmed_at", "confirmed_by"])
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=evaluation,
        extra={"confirmed": True, "passed": evaluation.passed},
    )
    return evaluation


# --- analysis reports ------------------------------------------------------------------------


def report_generate(*, region: Region, kind: str, period: Period) -> AnalysisReport:
    """Generate (once) the report of ``region`` for ``period``; an existing one is returned
    unchanged, so a re-run of the worker sends nothing twice."""
    existing = AnalysisReport.objects.filter(
        region=region, kind=kind, period_start=period.start
    ).first()
    if existing is not None:
        return existing
    content = reports.build_report(region, kind, period)
    report = AnalysisReport(
        region=region,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    report.file.save("report.docx", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a second worker made it first: keep theirs
        report.file.delete(save=False)
        return AnalysisReport.objects.get(region=region, kind=kind, period_start=period.start)
    subscribers = [
        s.user
        for s in ReportSubscription.objects.filter(
            region=region, kind=kind, user__is_active=True
        ).select_related("user")
        if access.can(s.user, Capability.CASE_VIEW, prefix=region.prefix)
    ]
    _notify_subscribers(report, subscribers)
    return report


def _notify_subscribers(report: AnalysisReport, users: list[User]) -> None:
    if not users:
        return
    title = gettext("%(title)s is ready") % {"title": report.title}
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            kind="report_ready",
            title=title,
            body=title,
            url=reverse("kpi:report_download", args=[report.pk]),
        )
    )


def reports_generate_due(today: date | None = None) -> int:
    """The worker's job: last month's (and, at a quarter's start, last quarter's) report for
    every subscribed region. Idempotent; returns how many reports were made."""
    today = today or clock.today()
    made = 0
    wanted = ReportSubscription.objects.values_list("region_id", "kind").distinct()
    for region_id, kind in wanted:
        period = reports.previous_period(kind, today)
        if AnalysisReport.objects.filter(
            region_id=region_id, kind=kind, period_start=period.start
        ).exists():
            continue
        report_generate(region=Region.objects.get(pk=region_id), kind=kind, period=period)
        made += 1
    return made


def report_subscribe(*, actor: User, region: Region, kind: str, subscribe: bool) -> None:
    """Receive (or stop receiving) a region's reports; only for regions the actor may view.

    Raises:
        NotFound: the region is outside the actor's reach.
    """
    if not access.can(actor, Capability.CASE_VIEW, prefix=region.prefix):
        raise NotFound(gettext("Region not found."))
    if subscribe:
        ReportSubscription.objects.get_or_create(user=actor, region=region, kind=kind)
    else:
        ReportSubscription.objects.filter(user=actor, region=region, kind=kind).delete()
    record(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGED,
        target=region,
        extra={"report_subscription": kind, "on": subscribe},
    )
