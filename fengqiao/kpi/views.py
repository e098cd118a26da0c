"""KPI pages: figures against targets for a region and period, the dashboard charts, each figure's
drill-down to the exact cases or imported rows, chart data as .xlsx, and the import of external
figures. Thin: the numbers come from ``kpi.selectors``."""

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, spreadsheet
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.core.replica import reads_from_replica
from fengqiao.kpi import reports, selectors, services, wusong
from fengqiao.kpi.forms import PeriodForm
from fengqiao.kpi.models import AnalysisReport, ReportKind, ReportSubscription
from fengqiao.regions.models import Region
from fengqiao.selfhelp.selectors import selfhelp_figures

DRILL_PAGE = 50


def _scope(request: HttpRequest) -> tuple[PeriodForm, selectors.Region | None, Any]:
    regions = selectors.regions_for(request_actor(request))
    form = PeriodForm(request.GET or None, regions=regions)
    if not regions:
        return form, None, None
    if not request.GET:
        form = PeriodForm(
            {"region": regions[0].code, "year": form.fields["year"].initial}, regions=regions
        )
    if not form.is_valid():
        return form, None, None
    try:
        region = selectors.region_for(request_actor(request), form.cleaned_data["region"])
    except NotFound:
        raise Http404 from None
    return form, region, form.period()


@reads_from_replica
def index(request: HttpRequest) -> HttpResponse:
    """Every indicator for the chosen region and period, with target, result and drill-down."""
    form, region, period = _scope(request)
    context: dict[str, Any] = {"form": form, "region": region, "period": period}
    status = 200
    if region is not None:
        context["figures"] = selectors.figures_for(region, period)
        ranking = selectors.ranking_for(region, period, request.GET.get("ranking"))
        context["ranking"] = ranking
        context["ranking_choices"] = [selectors.indicator(code) for code in selectors.RANKABLE]
        # the ranking's picker keeps the region and period the page shows (also the defaults of
        # a first visit, which came with no query)
        context["ranking_keep"] = [
            (name, form.data[name]) for name in form.fields if form.data.get(name) not in (None, "")
        ]
        boundary = selectors.boundary_url(region)
        context["charts"] = [
            {
                "key": s.key,
                "title": s.title,
                "labels": s.labels,
                "values": s.values,
                "geojson": boundary if s.key == "map" else "",
            }
            for s in selectors.dashboard_series(region, period, ranking.indicator.code)
        ]
        context["attention"] = selectors.open_attention(region)
        context["selfhelp"] = selfhelp_figures(start=period.start, end=period.end)
    elif form.is_bound and form.errors:
        status = 400
    return render(request, "kpi/index.html", context, status=status)


@reads_from_replica
def drill(request: HttpRequest, code: str, part: str, position: int) -> HttpResponse:
    """The cases (or imported rows) behind one term of one figure; they add up to the term."""
    form, region, period = _scope(request)
    if region is None:
        return render(request, "kpi/index.html", {"form": form}, status=400)
    try:
        indicator = selectors.indicator(code)
    except NotFound:
        raise Http404 from None
    terms = indicator.numerator if part == "numerator" else indicator.denominator
    if part not in ("numerator", "denominator") or not 0 <= position < len(terms):
        raise Http404
    term = terms[position]
    figure = selectors.compute(indicator, region, period)
    value = (figure.numerator if part == "numerator" else figure.denominator)[position]
    after = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else 0
    rows = (
        []
        if term.external or term.evaluation
        else selectors.drill_counter(term, region, period, after=after, limit=DRILL_PAGE)
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "region": region,
        "period": period,
        "indicator": indicator,
        "term": term,
        "value": value,
        "rows": rows,
        "next_after": rows[-1].case.pk if len(rows) == DRILL_PAGE else None,
        "query": query.urlencode(),
        "evaluations": selectors.evaluations_for(region, period.end.year)
        if term.evaluation
        else [],
    }
    return render(request, "kpi/drill.html", context)


@reads_from_replica
def chart_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's data as a spreadsheet, titled with the region and period."""
    _form, region, period = _scope(request)
    if region is None:
        raise Http404
    ranking = request.GET.get("ranking")
    series = {s.key: s for s in selectors.dashboard_series(region, period, ranking)}.get(key)
    if series is None:
        raise Http404
    columns: dict[str, Sequence[float | str | None]] = {**series.values, **series.table}
    no_data = gettext("no data")
    sheet = spreadsheet.Sheet(
        name=series.title,
        title_rows=[f"{region.name} {series.title}（{period.start} 至 {period.end}）"],
        columns=[
            spreadsheet.Column("项目", 18),
            *[spreadsheet.Column(name, 12) for name in columns],
        ],
        rows=(
            [label, *[no_data if v[index] is None else v[index] for v in columns.values()]]
            for index, label in enumerate(series.labels)
        ),
    )
    content = spreadsheet.to_bytes([sheet])
    record(
        actor=request_actor(request),
        action=AuditAction.DATA_EXPORTED,
        target=region,
        extra={"export": "kpi_chart", "chart": series.key, "rows": sheet.written},
    )
    name = f"{region.name}{series.title}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return spreadsheet.attachment(content, name)


@require_http_methods(["GET", "POST"])
def figures_import(request: HttpRequest) -> HttpResponse:
    """外部数据导入: check first, then import; all rows or none."""
    actor = request_actor(request)
    allowed = bool(access.scope_prefixes(actor, Capability.CASE_SUPERVISE))
    context: dict[str, Any] = {"allowed": allowed}
    if request.method == "POST" and allowed:
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = gettext("Choose a file.")
        else:
            suffix = Path(upload.name or "").suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    result = services.figures_import(
                        actor=actor,
                        path=Path(handle.name),
                        dry_run=request.POST.get("mode") != "import",
                    )
                    context["result"] = result
                    context["imported"] = request.POST.get("mode") == "import" and not result.errors
                except InvalidInput as error:
                    context["file_error"] = error.message
    status = (
        422 if context.get("file_error") or getattr(context.get("result"), "errors", None) else 200
    )
    return render(request, "kpi/figures.html", context, status=status if allowed else 403)


# --- 无讼村(社区) / 无讼乡镇 evaluations ----------------------------------------------------------


@reads_from_replica
def wusong_index(request: HttpRequest) -> HttpResponse:
    """The year's evaluations under a region, with the share of 无讼 villages against its
    target."""
    form, region, period = _scope(request)
    context: dict[str, Any] = {"form": form, "region": region, "period": period}
    if region is not None:
        year = period.end.year
        villages = list(
            Region.objects.filter(prefix__startswith=region.prefix, level=5).order_by("code")
        )
        done = {e.region_id: e for e in selectors.evaluations_for(region, year)}
        context.update(
            year=year,
            rows=[(village, done.get(village.pk)) for village in villages],
            may_evaluate_villages=bool(villages)
            and services.may_evaluate(request_actor(request), villages[0]),
            may_evaluate_region=services.may_evaluate(request_actor(request), region),
            share=selectors.compute(selectors.indicator("wusong_share"), region, period),
        )
    return render(request, "kpi/wusong_index.html", context)


@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """One evaluation's checklist: automatic criteria with what decided them, the others with
    a note, counts and evidence; then confirm."""
    actor = request_actor(request)
    try:
        item = services.evaluation_open(actor=actor, region_code=code, year=year)
    except NotFound:
        raise Http404 from None
    except InvalidInput as error:
        return render(request, "kpi/evaluation.html", {"error": error.message}, status=422)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                services.evaluation_confirm(actor=actor, evaluation_id=item.pk)
            else:
                counts = [
                    int(n) if n.strip().lstrip("-").isdigit() else -1
                    for n in request.POST.getlist("counts")
                ]
                services.check_record(
                    actor=actor,
                    evaluation_id=item.pk,
                    criterion=request.POST.get("criterion", ""),
                    met={"yes": True, "no": False}.get(request.POST.get("met", "")),
                    note=request.POST.get("note", ""),
                    counts=counts or None,
                    evidence=request.FILES.get("evidence"),
                )
        except NotFound:
            raise Http404 from None
        except InvalidInput as error:
            errors, status = {**error.errors, "message": [error.message]}, 422
        item.refresh_from_db()
    definitions = wusong.BY_CODE
    # Each error is shown at its criterion, by its number and text: the codes are internal.
    posted = request.POST.get("criterion", "")
    field_errors = [
        m
        for key, ms in errors.items()
        if key not in ("message", "__all__") and key not in definitions
        for m in ms
    ]
    checks = [
        (
            definitions[c.criterion],
            c,
            errors.get(c.criterion, []) + (field_errors if c.criterion == posted else []),
        )
        for c in item.checks.all()
    ]
    context = {
        "evaluation": item,
        "checks": checks,
        "message": errors.get("message", [""])[0],
        "general_errors": errors.get("__all__", []),
    }
    return render(request, "kpi/evaluation.html", context, status=status)


# --- analysis reports --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """Reports of the regions in reach; generate one now, or subscribe to a region's reports."""
    actor = request_actor(request)
    regions = selectors.regions_for(actor)
    codes = {r.code: r for r in regions}
    message = ""
    if request.method == "POST":
        region = codes.get(request.POST.get("region", ""))
        kind = request.POST.get("kind", "")
        if region is None or kind not in ReportKind.values:
            return HttpResponse(gettext("Choose a region and a kind of report."), status=400)
        action = request.POST.get("action")
        if action in ("subscribe", "unsubscribe"):
            services.report_subscribe(
                actor=actor, region=region, kind=kind, subscribe=action == "subscribe"
            )
            message = (
                gettext("Subscribed: the worker will make it each period.")
                if action == "subscribe"
                else gettext("Unsubscribed.")
            )
        else:
            period = reports.previous_period(kind, clock.today())
            report = services.report_generate(region=region, kind=kind, period=period)
            return redirect("kpi:report_download", report_id=report.pk)
    prefixes = [r.prefix for r in regions]
    visible = AnalysisReport.objects.select_related("region").filter(region__code__in=list(codes))
    context = {
        "regions": regions,
        "kinds": ReportKind.choices,
        "reports": visible[:100],
        "subscriptions": ReportSubscription.objects.filter(user=actor).select_related("region"),
        "message": message,
        "has_scope": bool(prefixes),
    }
    return render(request, "kpi/reports.html", context)


def report_download(request: HttpRequest, report_id: int) -> FileResponse:
    actor = request_actor(request)
    report = AnalysisReport.objects.select_related("region").filter(pk=report_id).first()
    if report is None or not access.can(actor, Capability.CASE_VIEW, prefix=report.region.prefix):
        raise Http404
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=report,
        extra={"report": report.kind, "period": str(report.period_start)},
    )
    name = f"{report.title}.docx"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=name)


def boundary(request: HttpRequest, code: str) -> FileResponse:
    """A region's boundary GeoJSON for the dashboard map (no personal data; staff only)."""
    path = selectors.boundary_file(code)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type="application/geo+json")
