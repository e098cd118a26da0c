"""Small helpers so views stay thin when answering htmx and full-page requests alike."""

import json

from django.http import HttpResponse


def trigger_client_event(response: HttpResponse, name: str) -> HttpResponse:
    """Ask the page to fire ``name`` on <body> after the swap, so other panels refresh
    themselves."""
    response["HX-Trigger"] = json.dumps({name: True})
    return response
