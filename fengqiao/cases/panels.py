"""Panels other apps add to the case page (mediation, documents, supervision…).

Each panel is a URL taking ``case_id`` that returns an HTML fragment; the page loads it with htmx
and reloads it whenever the case changes (the ``case-changed`` event). Apps register in
``AppConfig.ready()``; the view behind the URL scopes the case to the viewer itself.
"""

from dataclasses import dataclass

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True, slots=True)
class CasePanel:
    key: str  # also the element id: "panel-<key>"
    title: StrOrPromise
    url_name: str  # reversed with case_id
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def all_panels() -> list[CasePanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))
