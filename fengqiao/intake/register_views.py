"""The staff form for registering a dispute (登记纠纷): parse the form, call the one intake path,
render. The form and its party rows are the cases app's; the registration is intake's."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from fengqiao.accounts.actor import request_actor
from fengqiao.cases.choices import PartyKind
from fengqiao.cases.forms import CaseRegisterForm, PartyFormSet, apply_service_errors, party_drafts
from fengqiao.core import validators
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.pipeline import register_dispute


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = CaseRegisterForm(request.POST or None, actor=actor)
    parties = PartyFormSet(
        request.POST or None,
        prefix="parties",
        initial=None if request.POST else [{"role": "applicant"}, {"role": "respondent"}],
    )
    if request.method == "POST":
        if form.is_valid() and parties.is_valid():
            try:
                case = register_dispute(
                    actor=actor, draft=form.to_draft(party_drafts(parties))
                ).case
            except InvalidInput as exc:
                apply_service_errors(exc.errors, form, parties)
            else:
                messages.success(
                    request, gettext("Registered as {number}.").format(number=case.number)
                )
                # An administrative code missing from the division table does not block (#16):
                # codes are retired and people keep their numbers; the clerk is asked to check.
                for draft in party_drafts(parties):
                    if draft.kind == PartyKind.PERSON and draft.id_number:
                        for warning in validators.id_number_warnings(draft.id_number):
                            messages.warning(request, warning)
                return redirect("cases:detail", case_id=case.pk)
        return render(
            request, "intake/register.html", {"form": form, "parties": parties}, status=422
        )
    return render(request, "intake/register.html", {"form": form, "parties": parties})
