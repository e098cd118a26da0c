"""Thin views: rounds with their 排查表 and summaries, the risk register, 稳评 and meetings."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.services import PartyDraft
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError
from fengqiao.patrols import selectors, services
from fengqiao.patrols.documents import assessment_docx, summary_columns, summary_rows, summary_xlsx
from fengqiao.patrols.models import HazardLevel, MeetingTask, PatrolEntry, PatrolRound, TaskStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  LoginRequiredMiddleware guarantees it
    return user


def _round(actor: User, round_id: int) -> PatrolRound:
    try:
        return selectors.round_get(actor, round_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _attachment(content: bytes, name: str, mime: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rounds = selectors.rounds_visible(actor).prefetch_related("reports", "missing__village")[:60]
    return render(request, "patrols/index.html", {"rounds": rounds})


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = _actor(request)
    rnd = _round(actor, round_id)
    villages = [
        v
        for v in rnd.expected_villages()
        if access.can(actor, Capability.CASE_VIEW, prefix=v.prefix)
    ]
    filed = {r.village_id: r for r in rnd.reports.prefetch_related("entries", "signatures")}
    rows = [(v, filed.get(v.pk)) for v in villages]
    may_file = [
        v
        for v, r in rows
        if r is None and access.can(actor, Capability.CASE_REGISTER, prefix=v.prefix)
    ]
    errors: dict[str, list[str]] = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        entries = []
        if request.POST.get("zero") != "1":
            entries.append(
                services.EntryDraft(
                    checked_on=_date(request.POST.get("checked_on", "")),
                    checker=request.POST.get("checker", ""),
                    situation=request.POST.get("situation", ""),
                    measures=request.POST.get("measures", ""),
                    remarks=request.POST.get("remarks", ""),
                )
            )
        try:
            services.report_file(
                actor=actor,
                round_id=rnd.pk,
                village=request.POST.get("village", ""),
                entries=entries,
            )
        except InvalidInput as exc:
            errors = {k.removeprefix("entries-0-"): v for k, v in (exc.details or {}).items()}
        else:
            messages.success(request, gettext("The report has been filed."))
            return redirect("patrols:round", round_id=rnd.pk)
    context = {
        "round": rnd,
        "rows": rows,
        "may_file": may_file,
        "errors": errors,
        "values": values,
        "columns": summary_columns(),
        "summary": summary_rows(rnd),
        "may_register": bool(access.org_ids_with(actor, Capability.CASE_REGISTER)),
        "categories": DisputeCategory.objects.filter(parent__isnull=True).order_by("code"),
    }
    return render(request, "patrols/round.html", context, status=422 if errors else 200)


def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = _round(_actor(request), round_id)
    name = f"排查汇总-{rnd.region.name}-{rnd.period_start.isoformat()}.xlsx"
    return _attachment(summary_xlsx(rnd), name, XLSX)


@require_POST
def report_sign(request: HttpRequest, round_id: int, report_id: int) -> HttpResponse:
    actor = _actor(request)
    rnd = _round(actor, round_id)
    try:
        services.report_countersign(
            actor=actor, report_id=report_id, side=request.POST.get("side", "")
        )
    except (InvalidInput, PermissionDeniedError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Countersigned."))
    return redirect("patrols:round", round_id=rnd.pk)


@require_POST
def entry_case(request: HttpRequest, round_id: int, entry_id: int) -> HttpResponse:
    """One step from a 排查表 row to a registered case (channel "patrol")."""
    actor = _actor(request)
    rnd = _round(actor, round_id)
    org_ids = access.org_ids_with(actor, Capability.CASE_REGISTER)
    if not PatrolEntry.objects.filter(pk=entry_id, report__round=rnd).exists() or not org_ids:
        raise Http404
    try:
        case = services.entry_to_case(
            actor=actor,
            entry_id=entry_id,
            org_id=org_ids[0],
            category=request.POST.get("category", ""),
            parties=(
                PartyDraft(role=PartyRole.APPLICANT, name=request.POST.get("party_name", "")),
            ),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except (InvalidInput, PermissionDeniedError) as exc:
        details = getattr(exc, "errors", {}) or {}
        problems = [m for msgs in details.values() for m in msgs] or [exc.message]
        messages.error(request, "；".join(str(m) for m in problems))
        return redirect("patrols:round", round_id=rnd.pk)
    messages.success(request, gettext("Registered as case %(number)s.") % {"number": case.number})
    return redirect("patrols:round", round_id=rnd.pk)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def hazards(request: HttpRequest) -> HttpResponse:
    """The risk register, and a form (phone-sized) to add a hazard in the actor's area."""
    actor = _actor(request)
    errors: dict[str, list[str]] = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            services.hazard_register(
                actor=actor,
                draft=services.HazardDraft(
                    region=request.POST.get("region", ""),
                    title=request.POST.get("title", ""),
                    category=request.POST.get("category", ""),
                    people_count=_int(request.POST.get("people_count", "0")) or 0,
                    people_description=request.POST.get("people_description", ""),
                    level=request.POST.get("level", ""),
                    responsible_id=actor.pk,
                    measures=request.POST.get("measures", ""),
                    location=request.POST.get("location", ""),
                ),
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, gettext("The hazard has been registered."))
            return redirect("patrols:hazards")
    rows = selectors.hazards_visible(actor).prefetch_related("history")
    context = {
        "hazards": rows,
        "errors": errors,
        "values": values,
        "regions": selectors.regions_for_register(actor),
        "levels": HazardLevel.choices,
        "categories": DisputeCategory.objects.filter(parent__isnull=True).order_by("code"),
    }
    return render(request, "patrols/hazards.html", context, status=422 if errors else 200)


def assessments(request: HttpRequest) -> HttpResponse:
    rows = selectors.assessments_visible(_actor(request)).prefetch_related("risk_points")
    return render(request, "patrols/assessments.html", {"assessments": rows})


def assessment_report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        a = selectors.assessment_get(_actor(request), assessment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _attachment(assessment_docx(a), f"稳评报告-{a.subject}.docx", DOCX)


def meetings(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = selectors.meetings_visible(actor)
    mine = MeetingTask.objects.filter(owner=actor, status=TaskStatus.OPEN).select_related("meeting")
    return render(request, "patrols/meetings.html", {"meetings": rows, "my_tasks": mine})
