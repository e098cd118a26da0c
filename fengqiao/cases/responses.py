"""Responses every case-scoped view shares."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def case_not_found(request: HttpRequest) -> HttpResponse:
    """Out of jurisdiction looks exactly like missing; a panel gets a panel, a page a page."""
    htmx = getattr(request, "htmx", False)
    template = "cases/_not_found.html" if htmx else "cases/not_found.html"
    return render(request, template, status=404)
