"""Mediation pages: the case panel (htmx fragments and forms) and the roster. Thin: parse, call
one selector or service, render."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.responses import case_not_found
from fengqiao.core import clock, spreadsheet
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.core.htmx import trigger_client_event
from fengqiao.mediation import forms, roster_services, roster_views, rules, selectors, services
from fengqiao.mediation.models import FollowUp, Referral, Term

Step = tuple[type[django_forms.Form], Callable[[User, int, dict[str, Any], Any], object]]


def _session(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.session_record(actor=actor, case_id=case_id, **d)


def _investigation(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.investigation_record(actor=actor, case_id=case_id, **d)


def _rights(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.rights_notify(actor=actor, case_id=case_id, **d)


def _end_request(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.end_request_record(actor=actor, case_id=case_id, **d)


def _agreement(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    base = {k: d[k] for k in forms.AgreementDraftForm.base_fields}
    return services.agreement_save(actor=actor, case_id=case_id, terms=form.terms(), **base)


def _draft_id(case_id: int) -> int:
    from fengqiao.mediation.models import Agreement

    found = (
        Agreement.objects.filter(case_id=case_id, effective_on__isnull=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"__all__": [gettext("Draft the agreement first.")]},
        )
    return found


def _in_force_id(case_id: int) -> int:
    from fengqiao.mediation.models import Agreement

    found = (
        Agreement.objects.filter(case_id=case_id, effective_on__isnull=False)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"__all__": [gettext("No agreement is in force.")]},
        )
    return found


def _sign(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.agreement_sign(actor=actor, agreement_id=_draft_id(case_id), **d)


def _effective(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.agreement_make_effective(
        actor=actor, agreement_id=_draft_id(case_id), note=d["note"]
    )


def _confirm_file(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.confirmation_file(actor=actor, agreement_id=_in_force_id(case_id), **d)


def _confirm_rule(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.confirmation_rule(actor=actor, agreement_id=_in_force_id(case_id), **d)


def _performance(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    if not Term.objects.filter(pk=d["term_id"], agreement__case_id=case_id).exists():
        raise NotFound(gettext("Term not found."))
    return services.term_performance_record(actor=actor, **d)


def _follow_up(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    if not FollowUp.objects.filter(pk=d["follow_up_id"], case_id=case_id).exists():
        raise NotFound(gettext("Follow-up not found."))
    return services.follow_up_record(actor=actor, **d)


def _failure(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.failure_record(actor=actor, case_id=case_id, **d)


def _referral(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    return services.referral_record(actor=actor, case_id=case_id, **d)


def _referral_result(actor: User, case_id: int, d: dict[str, Any], form: Any) -> object:
    if not Referral.objects.filter(pk=d["referral_id"], case_id=case_id).exists():
        raise NotFound(gettext("Referral not found."))
    return services.referral_result_record(actor=actor, **d)


STEPS: dict[str, Step] = {
    "session": (forms.SessionForm, _session),
    "investigation": (forms.InvestigationForm, _investigation),
    "rights": (forms.RightsForm, _rights),
    "end_request": (forms.EndRequestForm, _end_request),
    "agreement": (forms.AgreementDraftForm, _agreement),
    "sign": (forms.SignForm, _sign),
    "effective": (forms.EffectiveForm, _effective),
    "confirm_file": (forms.ConfirmFileForm, _confirm_file),
    "confirm_rule": (forms.ConfirmRuleForm, _confirm_rule),
    "performance": (forms.PerformanceForm, _performance),
    "follow_up": (forms.FollowUpForm, _follow_up),
    "failure": (forms.FailureForm, _failure),
    "referral": (forms.ReferralForm, _referral),
    "referral_result": (forms.ReferralResultForm, _referral_result),
}


def _form(step: str, panel: selectors.Panel, data: Any = None) -> django_forms.Form:
    form_class = STEPS[step][0]
    kwargs: dict[str, Any] = {}
    if issubclass(form_class, forms.PartyChoiceMixin):
        kwargs["parties"] = panel.parties
    if form_class is forms.SessionForm:
        kwargs["mediators"] = panel.mediators
    today = clock.today()
    initial: dict[str, Any] = {
        name: today
        for name in form_class.base_fields
        if name.endswith("_on") and name not in ("reached_on", "routes_notified_on")
    }
    if data is None:
        if panel.failure and form_class is forms.FailureForm:
            initial.update(
                other_routes=panel.failure.other_routes,
                routes_notified_on=panel.failure.routes_notified_on,
                undisputed_facts=panel.failure.undisputed_facts,
                confirmed_party_ids=[p.pk for p in panel.failure.confirmed_by.all()],
            )
        if panel.agreement and form_class is forms.AgreementDraftForm:
            initial.update(forms.agreement_initial(panel.agreement))
        return form_class(initial=initial, **kwargs)
    return form_class(data, **kwargs)


def _per_item(
    items: list[Any], key: str, form_class: Any, failed: bool, bound: Any
) -> list[tuple[Any, Any]]:
    """One small form per follow-up, term or referral; the one that failed keeps its errors."""
    today = clock.today()
    rows = []
    for item in items:
        if failed and bound is not None and str(bound.data.get(key)) == str(item.pk):
            rows.append((item, bound))
            continue
        initial = {key: item.pk}
        initial.update({n: today for n in form_class.base_fields if n.endswith("_on")})
        rows.append((item, form_class(initial=initial, auto_id=f"id_%s_{item.pk}")))
    return rows


def _panel_context(panel: selectors.Panel, *, failed: str = "", form: Any = None) -> dict[str, Any]:
    forms_by_step = {step: _form(step, panel) for step in STEPS}
    if failed:
        forms_by_step[failed] = form
    agreement = panel.agreement
    in_force = panel.agreements_in_force[-1] if panel.agreements_in_force else None
    return {
        "rights_rows": [(party, panel.rights.get(party.pk)) for party in panel.parties],
        "visits": _per_item(
            panel.follow_ups, "follow_up_id", forms.FollowUpForm, failed == "follow_up", form
        ),
        "terms": _per_item(
            [t for a in panel.agreements_in_force for t in a.terms.all()],
            "term_id",
            forms.PerformanceForm,
            failed == "performance",
            form,
        ),
        "referral_rows": _per_item(
            panel.referrals,
            "referral_id",
            forms.ReferralResultForm,
            failed == "referral_result",
            form,
        ),
        "p": panel,
        "case": panel.case,
        "forms": forms_by_step,
        "failed": failed,
        "checklist": services.agreement_errors(agreement) if agreement else {},
        "signatures": services.signature_state(agreement) if agreement else None,
        "in_force": in_force,
        "deadline": rules.confirmation_deadline(in_force.effective_on)
        if in_force and in_force.effective_on
        else None,
        "warnings": [rules.ground_label(g) for g in in_force.not_confirmable] if in_force else [],
        "today": clock.today(),
    }


def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        data = selectors.panel_for(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return case_not_found(request)
    return render(request, "mediation/_panel.html", _panel_context(data))


@require_POST
def act(request: HttpRequest, case_id: int, step: str) -> HttpResponse:
    """Run one step of the panel: 200 and ``case-changed``, or 422 with the form's errors; a case
    outside the actor's jurisdiction is 404 and nothing is written."""
    actor = request_actor(request)
    if step not in STEPS:
        return case_not_found(request)
    try:
        data = selectors.panel_for(actor=actor, case_id=case_id)
    except NotFound:
        return case_not_found(request)
    form = _form(step, data, request.POST)
    status = 422
    if form.is_valid():
        try:
            STEPS[step][1](actor, case_id, dict(form.cleaned_data), form)
        except NotFound:
            return case_not_found(request)
        except ApplicationError as exc:
            status = form_error_status(form, exc)
        else:
            # The panel reloads itself on ``case-changed`` (with the header and the timeline), so
            # the answer swaps nothing: one fresh render, no second one racing the first.
            response = HttpResponse(status=200)
            response["HX-Reswap"] = "none"
            return trigger_client_event(response, "case-changed")
    context = _panel_context(data, failed=step, form=form)
    return render(request, "mediation/_panel.html", context, status=status)


# --- roster --------------------------------------------------------------------------------------


def _specialty_names(codes: list[str] | None) -> list[str]:
    names = dict(DisputeCategory.objects.filter(code__in=codes or []).values_list("code", "name"))
    return [names.get(code, code) for code in codes or []]


def roster(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    mediators = list(selectors.roster_for(actor=actor))
    figures = {f.mediator.pk: f for f in selectors.mediator_figures(mediators)}
    # specialties are stored as category codes; the roster reads their names (issue #21)
    names = dict(DisputeCategory.objects.values_list("code", "name"))
    rows = [(m, figures[m.pk]) for m in mediators]
    for m, _f in rows:
        setattr(m, "specialty_names", [names.get(c, c) for c in m.specialties or []])  # noqa: B010
    can_keep = bool(access.scope_prefixes(actor, Capability.CASE_ASSIGN))
    return render(request, "mediation/roster.html", {"rows": rows, "can_keep": can_keep})


def mediator_detail(request: HttpRequest, mediator_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        mediator = selectors.mediator_get_for(actor=actor, mediator_id=mediator_id)
    except NotFound:
        return case_not_found(request)
    figures = selectors.mediator_figures([mediator])[0]
    context = {
        "m": mediator,
        "specialty_names": _specialty_names(mediator.specialties),
        "f": figures,
        "trainings": mediator.trainings.all(),
        "conflicts": mediator.conflicts.all(),
        "training_form": TrainingForm(),
        "conflict_form": ConflictForm(),
        "can_keep": roster_views.keeps(actor, mediator),
    }
    return render(request, "mediation/mediator.html", context)


class TrainingForm(django_forms.Form):
    held_on = django_forms.DateField(label=_("date"), widget=forms.DATE_INPUT)
    title = django_forms.CharField(label=_("title"), max_length=200)
    hours = django_forms.DecimalField(label=_("hours"), min_value=0, max_digits=5)
    provider = django_forms.CharField(label=_("provider"), required=False, max_length=100)


class ConflictForm(django_forms.Form):
    person_name = django_forms.CharField(label=_("person"), max_length=100)
    relationship = django_forms.CharField(label=_("relationship"), max_length=100)
    declared_on = django_forms.DateField(label=_("declared on"), widget=forms.DATE_INPUT)


@require_POST
def mediator_add_record(request: HttpRequest, mediator_id: int, what: str) -> HttpResponse:
    actor = request_actor(request)
    try:
        mediator = selectors.mediator_get_for(actor=actor, mediator_id=mediator_id)
    except NotFound:
        return case_not_found(request)
    form_class = {"training": TrainingForm, "conflict": ConflictForm}.get(what)
    if form_class is None:
        return case_not_found(request)
    form = form_class(request.POST)
    status = 422
    if form.is_valid():
        try:
            if what == "training":
                roster_services.training_add(
                    actor=actor, mediator_id=mediator.pk, **form.cleaned_data
                )
            else:
                roster_services.conflict_declare(
                    actor=actor, mediator_id=mediator.pk, **form.cleaned_data
                )
        except NotFound:
            return case_not_found(request)
        except InvalidInput as exc:
            form_error_status(form, exc)
        else:
            status = 200
            form = form_class()
    context = {
        "m": mediator,
        "specialty_names": _specialty_names(mediator.specialties),
        "f": selectors.mediator_figures([mediator])[0],
        "trainings": mediator.trainings.all(),
        "conflicts": mediator.conflicts.all(),
        "training_form": form if what == "training" else TrainingForm(),
        "conflict_form": form if what == "conflict" else ConflictForm(),
        "can_keep": roster_views.keeps(actor, mediator),
    }
    return render(request, "mediation/mediator.html", context, status=status)


def _period(request: HttpRequest) -> tuple[date, date]:
    today = clock.today()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, end


def subsidy(request: HttpRequest) -> HttpResponse:
    """以案定补: sessions and cases per mediator in a period (人民调解法 art.16), page or xlsx."""
    actor = request_actor(request)
    start, end = _period(request)
    mediators = list(selectors.roster_for(actor=actor))
    rows = selectors.mediator_figures(mediators, start=start, end=end)
    if request.GET.get("format") != "xlsx":
        return render(request, "mediation/subsidy.html", {"rows": rows, "start": start, "end": end})
    title = gettext("Case subsidy")
    count = spreadsheet.INTEGER
    sheet = spreadsheet.Sheet(
        name=title,
        title_rows=[f"{title}（{start} 至 {end}）"],
        columns=[
            spreadsheet.Column(gettext("Mediator"), 12),
            spreadsheet.Column(gettext("Organisation"), 24),
            spreadsheet.Column(gettext("Kind"), 10),
            spreadsheet.Column(pgettext("number of mediation sessions held", "Sessions"), 8, count),
            spreadsheet.Column(gettext("Cases"), 8, count),
            spreadsheet.Column(gettext("Agreements"), 8, count),
            spreadsheet.Column(gettext("Terminated"), 8, count),
            spreadsheet.Column(gettext("Stars"), 8),
        ],
        rows=[
            [
                row.mediator.name,
                row.mediator.org.name,
                row.mediator.get_kind_display(),
                row.sessions,
                row.cases,
                row.resolved,
                row.terminated,
                row.stars,
            ]
            for row in rows
        ],
    )
    content = spreadsheet.to_bytes([sheet])
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=mediators[0].org if mediators else actor,
        extra={
            "export": "mediation_subsidy",
            "start": str(start),
            "end": str(end),
            "rows": sheet.written,
        },
    )
    return spreadsheet.attachment(content, f"{title}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


def suggestions(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        items = selectors.mediator_suggestions(actor=request_actor(request), case_id=case_id)
    except NotFound:
        return case_not_found(request)
    return render(request, "mediation/_suggestions.html", {"items": items})
