"""GeoReport v2 answers in JSON or XML: a list of flat records under a root element."""

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("json", "xml")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return _text(value)
    return value


class FormatConverter:
    """``services.json`` / ``services.xml``: the answer's format is the path's suffix."""

    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def respond(
    fmt: str,
    records: Iterable[Mapping[str, Any]],
    *,
    root: str,
    item: str,
    status: int = 200,
) -> HttpResponse:
    """``records`` as a JSON array, or as ``<root><item>…</item></root>`` (GeoReport's shape)."""
    rows = list(records)
    if fmt == "json":
        body = json.dumps(
            [{key: _json_value(value) for key, value in row.items()} for row in rows],
            ensure_ascii=False,
        )
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    element = ElementTree.Element(root)
    for row in rows:
        child = ElementTree.SubElement(element, item)
        for key, value in row.items():
            if isinstance(value, list):
                holder = ElementTree.SubElement(child, key)
                for entry in value:
                    ElementTree.SubElement(holder, key.rstrip("s")).text = _text(entry)
            else:
                ElementTree.SubElement(child, key).text = _text(value)
    body = ElementTree.tostring(element, encoding="unicode", xml_declaration=False)
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>' + body,
        status=status,
        content_type="text/xml; charset=utf-8",
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """GeoReport's error list: ``[{"code": 403, "description": "…"}]``."""
    return respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )
