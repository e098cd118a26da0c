"""The register page's live advice: the suggested category (with the words that decided it) and
the risk signals, refreshed as the person types. Only advice: the form changes only when the
person presses 采用."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fengqiao.cases.models import DisputeCategory
from fengqiao.core import clock
from fengqiao.intake import classify, risk


@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    data = request.POST
    text = "\n".join(data.get(name, "") for name in ("title", "description", "claims"))
    try:
        people = int(data.get("people_count") or 0)
    except ValueError:
        people = 0
    suggestion = classify.suggest(text)
    names: dict[str, str] = {}
    if suggestion is not None:
        codes = [suggestion.category, suggestion.subcategory]
        names = dict(DisputeCategory.objects.filter(code__in=codes).values_list("code", "name"))
    assessment = risk.assess_text(text, people, clock.today())
    context = {
        "suggestion": suggestion,
        "category_name": names.get(suggestion.category, "") if suggestion else "",
        "subcategory_name": names.get(suggestion.subcategory, "") if suggestion else "",
        "assessment": assessment,
        "reasons": assessment.explanation(),
        "chosen": data.get("category", ""),
    }
    return render(request, "intake/_suggest.html", context)
