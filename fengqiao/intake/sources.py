"""The case page's 来源 panel: every time a channel sent this dispute (and the disputes merged into
it), so a primary case shows all its sources (三源合一)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fengqiao.accounts.models import User
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import NotFound
from fengqiao.intake.models import IntakeSubmission


def sources_for(case: Case) -> list[IntakeSubmission]:
    """Submissions of the case and of every case merged into it, newest first; the payload
    stays encrypted (its digest shows it is unchanged)."""
    ids = [case.pk, *case_selectors.merged_case_ids(case)]
    return list(
        IntakeSubmission.objects.filter(case_id__in=ids)
        .select_related("endpoint", "case")
        .order_by("-received_at", "-id")
    )


def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  LoginRequiredMiddleware guarantees it
    try:
        case = case_selectors.case_get_for(actor=user, case_id=case_id)
    except NotFound:
        return render(request, "cases/_not_found.html", status=404)
    merged = list(Case.objects.filter(merged_into=case).order_by("pk"))
    return render(
        request,
        "intake/_sources.html",
        {"case": case, "submissions": sources_for(case), "merged": merged},
    )
