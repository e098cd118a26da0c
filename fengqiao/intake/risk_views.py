"""The case page's 风险 panel: the flags a case carries with their reasons, and for whoever may
raise one (``risk.may_raise``) a short form to add what was learnt after registration."""

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import ApplicationError, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.intake import risk


class RiskRaiseForm(forms.Form):
    flags = forms.MultipleChoiceField(label=_("New risk"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(
        label=_("What was learnt"),
        max_length=risk.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data: Any = None, *, case: Case) -> None:
        super().__init__(data)
        held = {"criminal": case.is_criminal_risk, "mass": case.is_mass, "extreme": case.is_extreme}
        self.open_flags = [(code, risk.label(code)) for code in risk.RAISABLE if not held[code]]
        field = self.fields["flags"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101  declared above
        field.choices = self.open_flags


@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    status = 200
    raised = False
    form = RiskRaiseForm(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = risk.risk_raise(
                    actor=actor,
                    case_id=case.pk,
                    flags=form.cleaned_data["flags"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                status = form_error_status(form, exc)
            else:
                raised = True
                form = RiskRaiseForm(case=case)
        else:
            status = 422
    return render(
        request,
        "intake/_risk_panel.html",
        {
            "case": case,
            "events": case_selectors.case_events_for(actor=actor, case=case).filter(
                kind=EventKind.RISK_FLAGGED
            ),
            "form": form if form.open_flags and risk.may_raise(actor, case) else None,
            "raised": raised,
        },
        status=status,
    )
