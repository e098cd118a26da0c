"""Thin views of guided self-help for citizens (no account)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fengqiao.core.exceptions import ApplicationError, NotFound
from fengqiao.selfhelp import selectors, services
from fengqiao.selfhelp.choices import SETTLEABLE, Referral
from fengqiao.selfhelp.models import SelfHelpRun


def _run(token: str) -> SelfHelpRun:
    try:
        return selectors.run_get(token=token)
    except NotFound as error:
        raise Http404(error.message) from None


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "selfhelp/index.html", {"trees": selectors.trees_offered()})


@login_not_required
@require_POST
def start(request: HttpRequest, tree_id: int) -> HttpResponse:
    try:
        run = services.run_start(tree_id=tree_id)
    except NotFound as error:
        raise Http404(error.message) from None
    return redirect("selfhelp:step", token=run.token)


@login_not_required
@require_GET
def step(request: HttpRequest, token: str) -> HttpResponse:
    run = _run(token)
    return render(
        request,
        "selfhelp/step.html",
        {
            "run": run,
            "step": selectors.run_step(run),
            "settleable": run.outcome_kind in SETTLEABLE,
            "referral_label": Referral(run.referral).label if run.referral else "",
        },
    )


@login_not_required
@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.run_answer(
            token=token,
            node=request.POST.get("node", ""),
            choice=int(request.POST.get("choice", "-1") or -1),
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except (ApplicationError, ValueError):
        pass  # a stale or empty answer: show where the run stands now
    return redirect("selfhelp:step", token=token)


@login_not_required
@require_POST
def settled(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.run_settle(token=token)
    except NotFound as error:
        raise Http404(error.message) from None
    except ApplicationError:
        return redirect("selfhelp:step", token=token)
    return render(request, "selfhelp/settled.html", {"run": _run(token)})


@login_not_required
@require_POST
def apply(request: HttpRequest, token: str) -> HttpResponse:
    try:
        run = services.run_to_application(token=token)
    except NotFound as error:
        raise Http404(error.message) from None
    except ApplicationError:
        return redirect("selfhelp:step", token=token)
    query = urlencode({"selfhelp": run.token})
    return redirect(f"{reverse('portal:apply')}?{query}")
