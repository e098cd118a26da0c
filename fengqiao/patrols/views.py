"""Thin views: rounds with their 排查表 and summaries, the risk register, 稳评 and meetings."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.selectors import case_list_for
from fengqiao.cases.services import PartyDraft
from fengqiao.core import clock, spreadsheet
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError
from fengqiao.core.form_errors import form_error_status
from fengqiao.intake import classify
from fengqiao.patrols import forms, selectors, services
from fengqiao.patrols import meetings as meeting_services
from fengqiao.patrols.documents import assessment_docx, summary_columns, summary_rows, summary_sheet
from fengqiao.patrols.models import (
    HazardLevel,
    Meeting,
    MeetingTask,
    PatrolEntry,
    PatrolRound,
    TaskStatus,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _round(actor: User, round_id: int) -> PatrolRound:
    try:
        return selectors.round_get(actor, round_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _attachment(content: bytes, name: str, mime: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


T = TypeVar("T")


def _submit(
    form: django_forms.Form,
    call: Callable[[dict[str, Any]], T],
    rename: dict[str, str] | Callable[[], dict[str, str]] | None = None,
) -> tuple[T | None, int]:
    """Parse with ``form``, then let the service judge: its field errors go next to the fields
    (422), a refusal is 403 and an object out of reach 404. Returns (result, status)."""
    if not form.is_valid():
        return None, 422
    try:
        return call(form.cleaned_data), 200
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDeniedError as exc:
        return None, form_error_status(form, exc)
    except InvalidInput as exc:
        return None, form_error_status(form, exc, rename() if callable(rename) else rename)


def _index(request: HttpRequest, form: forms.SpecialRoundForm, status: int = 200) -> HttpResponse:
    actor = request_actor(request)
    rounds = selectors.rounds_visible(actor).prefetch_related("reports", "missing__village")[:60]
    regions = list(selectors.regions_for(actor, Capability.CASE_SUPERVISE))
    forms.set_regions(form, regions)
    context = {"rounds": rounds, "special_form": form if regions or form.is_bound else None}
    return render(request, "patrols/index.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    return _index(request, forms.SpecialRoundForm())


def round_special(request: HttpRequest) -> HttpResponse:
    """专项排查 opened from the index page (POST); a GET goes back to the index page."""
    if request.method != "POST":
        return redirect("patrols:index")
    actor = request_actor(request)
    form = forms.SpecialRoundForm(request.POST)
    rnd, status = _submit(
        form,
        lambda d: services.round_open_special(actor=actor, draft=services.SpecialRoundDraft(**d)),
    )
    if rnd is None:
        return _index(request, form, status)
    messages.success(request, gettext("The special round has been opened."))
    return redirect("patrols:round", round_id=rnd.pk)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = request_actor(request)
    rnd = _round(actor, round_id)
    villages = [
        v
        for v in rnd.expected_villages()
        if access.can(actor, Capability.CASE_VIEW, prefix=v.prefix)
    ]
    filed = {r.village_id: r for r in rnd.reports.prefetch_related("entries", "signatures")}
    rows = [(v, filed.get(v.pk)) for v in villages]
    for _v, report in rows:  # the register-as-case form starts from the words' own category
        for entry in report.entries.all() if report else ():
            suggestion = None if entry.case_id else classify.suggest(entry.situation)
            setattr(entry, "suggested_category", suggestion.category if suggestion else "")  # noqa: B010
    may_sign = {r.pk: services.sides_to_sign(actor, r) for _v, r in rows if r is not None}
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
        "may_sign": may_sign,
        "errors": errors,
        "values": values,
        "columns": summary_columns(),
        "summary": summary_rows(rnd, villages=selectors.villages_seen(actor)),
        "may_register": bool(access.org_ids_with(actor, Capability.CASE_REGISTER)),
        "categories": DisputeCategory.objects.filter(parent__isnull=True).order_by("code"),
    }
    return render(request, "patrols/round.html", context, status=422 if errors else 200)


def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = request_actor(request)
    rnd = _round(actor, round_id)
    sheet = summary_sheet(rnd, villages=selectors.villages_seen(actor))
    content = spreadsheet.to_bytes([sheet])
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=rnd,
        extra={"export": "patrol_summary", "round": rnd.pk, "rows": sheet.written},
    )
    name = f"排查汇总-{rnd.region.name}-{rnd.period_start:%Y%m%d}.xlsx"
    return spreadsheet.attachment(content, name)


@require_POST
def report_sign(request: HttpRequest, round_id: int, report_id: int) -> HttpResponse:
    actor = request_actor(request)
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
    actor = request_actor(request)
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
    actor = request_actor(request)
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


def hazard_detail(request: HttpRequest, hazard_id: int) -> HttpResponse:
    """One hazard with its history, and the form to change level, status, measures or the person
    responsible."""
    actor = request_actor(request)
    try:
        hazard = selectors.hazard_get(actor, hazard_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    initial = {
        "level": hazard.level,
        "status": hazard.status,
        "measures": hazard.measures,
        "responsible_id": hazard.responsible_id,
    }
    posted = request.method == "POST"
    form = forms.HazardUpdateForm(request.POST if posted else None, initial=initial)
    forms.set_people(form, "responsible_id", list(selectors.staff_for_region(hazard.region)))
    status = 200
    if posted:
        done, status = _submit(
            form,
            lambda d: services.hazard_update(
                actor=actor,
                hazard_id=hazard.pk,
                level=d["level"],
                status=d["status"],
                measures=d["measures"],
                note=d["note"],
                responsible_id=d["responsible_id"],
            ),
        )
        if done is not None:
            messages.success(request, gettext("The hazard has been updated."))
            return redirect("patrols:hazard", hazard_id=hazard.pk)
    may_update = access.can(actor, Capability.CASE_REGISTER, prefix=hazard.region.prefix)
    category = DisputeCategory.objects.filter(code=hazard.category).first()
    context = {
        "hazard": hazard,
        "category_name": category.name if category else "",
        "history": hazard.history.all(),
        "form": form if may_update or posted else None,
    }
    return render(request, "patrols/hazard.html", context, status=status)


def periods(request: HttpRequest) -> HttpResponse:
    """The sensitive-period calendar, and the form to add a period (supervisors)."""
    actor = request_actor(request)
    posted = request.method == "POST"
    form = forms.SensitivePeriodForm(request.POST if posted else None)
    regions = list(selectors.regions_for(actor, Capability.CASE_SUPERVISE))
    forms.set_regions(form, regions)
    status = 200
    if posted:
        period, status = _submit(form, lambda d: services.sensitive_period_add(actor=actor, **d))
        if period is not None:
            messages.success(request, gettext("The sensitive period has been added."))
            return redirect("patrols:periods")
    context = {
        "periods": selectors.periods_visible(actor),
        "today": clock.today(),
        "form": form if regions or posted else None,
    }
    return render(request, "patrols/periods.html", context, status=status)


def assessments(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    rows = selectors.assessments_visible(actor).prefetch_related("risk_points")
    may_create = bool(access.scope_prefixes(actor, Capability.CASE_SUPERVISE))
    return render(
        request, "patrols/assessments.html", {"assessments": rows, "may_create": may_create}
    )


def assessment_new(request: HttpRequest) -> HttpResponse:
    """稳评: the matter, its risk points, the opinions heard, and the findings that decide the
    level (computed by the service)."""
    actor = request_actor(request)
    posted = request.method == "POST"
    form = forms.AssessmentForm(request.POST if posted else None)
    regions = list(selectors.regions_for(actor, Capability.CASE_SUPERVISE))
    forms.set_regions(form, regions)
    status = 200 if regions else 403
    if posted:
        a, status = _submit(
            form,
            lambda d: services.assessment_create(
                actor=actor,
                draft=services.AssessmentDraft(
                    region=d["region"],
                    subject=d["subject"],
                    deciding_body=d["deciding_body"],
                    assessor=d["assessor"],
                    attitude=d["attitude"],
                    incident_risk=d["incident_risk"],
                    summary=d["summary"],
                    contingency_plan=d["contingency_plan"],
                    risk_points=form.risk_points(),
                    opinions=form.opinions(),
                ),
            ),
            rename=form.service_field_names,
        )
        if a is not None:
            messages.success(request, gettext("The assessment has been recorded."))
            return redirect("patrols:assessment", assessment_id=a.pk)
    context = {"form": form if regions or posted else None}
    return render(request, "patrols/assessment_form.html", context, status=status)


def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """One 稳评: the level with the rule that gave it, risk points, opinions, the report, and the
    decision with its follow-up (recorded here by a supervisor)."""
    actor = request_actor(request)
    try:
        a = selectors.assessment_get(actor, assessment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    posted = request.method == "POST"
    initial = {"decision": a.decision, "note": a.decision_note, "followup": a.followup}
    form = forms.DecisionForm(
        request.POST if posted else None,
        initial=initial,
        allowed=services.ALLOWED_DECISIONS.get(a.level, set()),
    )
    status = 200
    if posted:
        done, status = _submit(
            form,
            lambda d: services.assessment_decide(
                actor=actor,
                assessment_id=a.pk,
                decision=d["decision"],
                note=d["note"],
                followup=d["followup"],
            ),
        )
        if done is not None:
            messages.success(request, gettext("The decision has been recorded."))
            return redirect("patrols:assessment", assessment_id=a.pk)
    may_decide = access.can(actor, Capability.CASE_SUPERVISE, prefix=a.region.prefix)
    context = {
        "a": a,
        "basis": services.stability_level_basis(a.attitude, a.incident_risk),
        "risk_points": a.risk_points.all(),
        "opinions": a.opinions.all(),
        "form": form if may_decide or posted else None,
    }
    return render(request, "patrols/assessment.html", context, status=status)


def assessment_report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        a = selectors.assessment_get(request_actor(request), assessment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _attachment(assessment_docx(a), f"稳评报告-{a.subject}.docx", DOCX)


def meetings(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    rows = selectors.meetings_visible(actor)
    mine = MeetingTask.objects.filter(owner=actor, status=TaskStatus.OPEN).select_related("meeting")
    may_record = bool(access.scope_prefixes(actor, Capability.CASE_SUPERVISE))
    context = {"meetings": rows, "my_tasks": mine, "may_record": may_record}
    return render(request, "patrols/meetings.html", context)


def meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a meeting: cadence, date, attendees, minutes and the cases on its agenda, named by
    number (only cases the actor may see)."""
    actor = request_actor(request)
    posted = request.method == "POST"
    form = forms.MeetingForm(request.POST if posted else None, actor=actor)
    regions = list(selectors.regions_for(actor, Capability.CASE_SUPERVISE))
    forms.set_regions(form, regions)
    status = 200 if regions else 403
    if posted:
        meeting, status = _submit(
            form,
            lambda d: meeting_services.meeting_record(
                actor=actor,
                draft=meeting_services.MeetingDraft(
                    region=d["region"],
                    cadence=d["cadence"],
                    title=d["title"],
                    held_on=d["held_on"],
                    attendees=d["attendees"],
                    minutes=d["minutes"],
                    case_ids=d["case_numbers"],
                ),
            ),
            rename={"case_ids": "case_numbers"},
        )
        if meeting is not None:
            messages.success(request, gettext("The meeting has been recorded."))
            return redirect("patrols:meeting", meeting_id=meeting.pk)
    context = {"form": form if regions or posted else None}
    return render(request, "patrols/meeting_form.html", context, status=status)


def _meeting(actor: User, meeting_id: int) -> Meeting:
    try:
        return selectors.meeting_get(actor, meeting_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _tasks_context(
    actor: User, meeting: Meeting, form: forms.MeetingTaskForm | None = None, error: str = ""
) -> dict[str, Any]:
    may_supervise = access.can(actor, Capability.CASE_SUPERVISE, prefix=meeting.region.prefix)
    if form is None:
        form = forms.MeetingTaskForm()
    forms.set_people(form, "owner_id", list(selectors.staff_for_region(meeting.region)))
    tasks = list(meeting.tasks.all())
    return {
        "meeting": meeting,
        "tasks": tasks,
        "completable": {
            t.pk
            for t in tasks
            if t.status == TaskStatus.OPEN and (may_supervise or t.owner_id == actor.pk)
        },
        "task_form": form if may_supervise or form.is_bound else None,
        "tasks_error": error,
    }


def _meeting_page(
    request: HttpRequest, meeting: Meeting, status: int = 200, **tasks: Any
) -> HttpResponse:
    actor = request_actor(request)
    htmx = getattr(request, "htmx", False)
    context = _tasks_context(actor, meeting, **tasks)
    if htmx and request.method == "POST":
        return render(request, "patrols/_tasks.html", context, status=status)
    # the agenda through the actor's own case scope: a case that has since left it is not shown
    context["agenda"] = case_list_for(actor=actor).filter(
        pk__in=[c.pk for c in meeting.agenda_cases.all()]
    )
    return render(request, "patrols/meeting.html", context, status=status)


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting with its agenda and its tasks (overdue ones marked)."""
    return _meeting_page(request, _meeting(request_actor(request), meeting_id))


@require_POST
def meeting_task_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A decision of the meeting becomes a task with an owner and a deadline; htmx swaps the task
    list, a plain form goes back to the meeting."""
    actor = request_actor(request)
    meeting = _meeting(actor, meeting_id)
    form = forms.MeetingTaskForm(request.POST)
    task, status = _submit(
        form,
        lambda d: meeting_services.meeting_task_add(
            actor=actor,
            meeting_id=meeting.pk,
            decision=d["decision"],
            owner_id=d["owner_id"],
            due_on=d["due_on"],
        ),
    )
    if task is None:
        return _meeting_page(request, meeting, status, form=form)
    if not getattr(request, "htmx", False):
        messages.success(request, gettext("The task has been added."))
        return redirect("patrols:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, _meeting(actor, meeting_id))


@require_POST
def meeting_task_complete(request: HttpRequest, meeting_id: int, task_id: int) -> HttpResponse:
    """The owner (or a supervisor over the meeting's region) marks a task done."""
    actor = request_actor(request)
    if not MeetingTask.objects.filter(pk=task_id, meeting_id=meeting_id).exists():
        raise Http404
    try:
        meeting_services.meeting_task_complete(actor=actor, task_id=task_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDeniedError as exc:
        return _meeting_page(request, _meeting(actor, meeting_id), 403, error=exc.message)
    if request.POST.get("back") == "list" or not getattr(request, "htmx", False):
        messages.success(request, gettext("The task is marked done."))
        if request.POST.get("back") == "list":
            return redirect("patrols:meetings")
        return redirect("patrols:meeting", meeting_id=meeting_id)
    return _meeting_page(request, _meeting(actor, meeting_id))
