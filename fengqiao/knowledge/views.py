"""Thin views of the knowledge base: staff search, entry, review of promoted cases and the case
panel that cites entries; the citizen side shows published public entries without an account."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fengqiao.accounts.actor import request_actor
from fengqiao.cases import selectors as case_selectors
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.core.form_errors import form_error_status
from fengqiao.knowledge import forms, selectors, services
from fengqiao.knowledge.models import Entry

PAGE_SIZE = 50


def _filters(form: forms.SearchForm, *, status: str = "") -> selectors.EntryFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.EntryFilters(
        text=data.get("q", ""),
        kind=data.get("kind", ""),
        category=data.get("category", ""),
        status=status,
    )


def _list_context(request: HttpRequest, *, public_only: bool) -> dict[str, Any]:
    form = forms.SearchForm(request.GET or None)
    status = "draft" if request.GET.get("status") == "draft" else ""
    entries = selectors.entry_list_for(
        actor=request.user,
        filters=_filters(form, status=status),
        public_only=public_only,
    )
    page = list(entries[: PAGE_SIZE + 1])
    return {
        "form": form,
        "entries": page[:PAGE_SIZE],
        "more": len(page) > PAGE_SIZE,
        "drafts": status == "draft",
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = _list_context(request, public_only=False)
    context["can_edit"] = selectors.can_edit(request_actor(request))
    return render(request, "knowledge/index.html", context)


def _entry(request: HttpRequest, entry_id: int, *, public_only: bool) -> Entry:
    try:
        return selectors.entry_get_for(
            actor=request.user,
            entry_id=entry_id,
            public_only=public_only,
        )
    except NotFound as error:
        raise Http404(error.message) from None


@require_GET
def detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id, public_only=False)
    return render(
        request,
        "knowledge/detail.html",
        {"entry": entry, "can_edit": selectors.can_edit(request_actor(request))},
    )


@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    form = forms.EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.EntryDraft(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            category_code=data["category"],
            law_name=data["law_name"],
            article_no=data["article_no"],
            visibility=data["visibility"],
        )
        try:
            entry = services.entry_create(actor=request_actor(request), draft=draft)
        except InvalidInput as error:
            form_error_status(form, error)
        else:
            messages.success(request, gettext("Entry saved."))
            return redirect("knowledge:detail", entry_id=entry.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "knowledge/form.html", {"form": form}, status=status)


@require_POST
def promote(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        entry = services.case_example_draft(actor=request_actor(request), case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("cases:detail", case_id=case_id)
    messages.success(request, gettext("Draft typical case made; another editor reviews it."))
    return redirect("knowledge:review", entry_id=entry.pk)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = request_actor(request)
    if not selectors.can_edit(actor):
        raise Http404
    entry = _entry(request, entry_id, public_only=False)
    initial = {"title": entry.title, "body": entry.body, "visibility": entry.visibility}
    form = forms.ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_review(
                actor=actor,
                entry_id=entry.pk,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                publish="publish" in request.POST,
            )
        except ApplicationError as error:
            status = form_error_status(form, error)
        else:
            messages.success(request, gettext("Review saved."))
            return redirect("knowledge:detail", entry_id=entry.pk)
    elif request.method == "POST":
        status = 422
    findings = services.entry_findings(entry)
    return render(
        request,
        "knowledge/review.html",
        {"entry": entry, "form": form, "findings": findings},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound as error:
        raise Http404(error.message) from None
    error_message = ""
    status = 200
    if request.method == "POST":
        form = forms.CiteForm(request.POST)
        if form.is_valid():
            try:
                services.citation_add(
                    actor=actor,
                    case_id=case.pk,
                    entry_id=form.cleaned_data["entry"],
                    cited_in=form.cleaned_data["cited_in"],
                    note=form.cleaned_data["note"],
                )
            except NotFound as error:
                error_message, status = error.message, 404
            except ApplicationError as error:
                error_message, status = error.message, error.status_code
        else:
            error_message, status = gettext("Please correct the errors below."), 422
    query = request.GET.get("q", "").strip()
    found = (
        list(selectors.entry_list_for(actor=actor, filters=selectors.EntryFilters(text=query))[:10])
        if query
        else []
    )
    return render(
        request,
        "knowledge/_case_panel.html",
        {
            "case": case,
            "citations": selectors.citations_of(case=case),
            "found": found,
            "query": query,
            "cite_form": forms.CiteForm(),
            "error": error_message,
            "can_promote": selectors.can_edit(actor) and case.status == "closed",
        },
        status=status,
    )


@login_not_required
@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/public_index.html", _list_context(request, public_only=True))


@login_not_required
@require_GET
def public_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry(request, entry_id, public_only=True)
    return render(request, "knowledge/public_detail.html", {"entry": entry})
