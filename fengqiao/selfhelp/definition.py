"""The shape of a question tree, checked before any version is saved (admin and demo alike):

    {"start": "q1",
     "nodes": {
       "q1": {"type": "question", "text": "…", "hint": "…",
              "options": [{"label": "…", "next": "q2", "summary": "…"}]},
       "end": {"type": "outcome", "kind": "info|letter|agreement|referral|apply",
               "title": "…", "text": "…", "entries": ["code", …],
               "template": "… (letter, agreement)",
               "referral": "legal_aid|hotline_12345|court|police", "contact": "…",
               "request": "… (apply: what the citizen asks for)"}}}

Each option's ``summary`` is the sentence the answer contributes to a pre-filled application.
"""

from typing import Any

from django.utils.translation import gettext

from fengqiao.selfhelp.choices import OutcomeKind, Referral

MAX_NODES = 200


def definition_errors(definition: Any) -> list[str]:
    """Everything wrong with ``definition``, in Chinese; empty when it is a usable tree."""
    if not isinstance(definition, dict) or not isinstance(definition.get("nodes"), dict):
        return [gettext("The tree needs a start and a set of nodes.")]
    nodes: dict[str, Any] = definition["nodes"]
    errors: list[str] = []
    if definition.get("start") not in nodes:
        errors.append(gettext("The start node does not exist."))
    if len(nodes) > MAX_NODES:
        errors.append(gettext("A tree has at most {n} nodes.").format(n=MAX_NODES))
    for key, node in nodes.items():
        errors += _node_errors(key, node, nodes)
    if not errors:
        errors += _shape_errors(definition["start"], nodes)
    return errors


def _node_errors(key: str, node: Any, nodes: dict[str, Any]) -> list[str]:
    if not isinstance(node, dict) or node.get("type") not in ("question", "outcome"):
        return [gettext("Node {key}: the type must be question or outcome.").format(key=key)]
    if node["type"] == "question":
        options = node.get("options")
        if not str(node.get("text", "")).strip():
            return [gettext("Node {key}: the question has no text.").format(key=key)]
        if not isinstance(options, list) or len(options) < 2:
            return [gettext("Node {key}: a question needs at least two answers.").format(key=key)]
        return [
            gettext("Node {key}: answer {n} leads to a missing node.").format(key=key, n=n)
            for n, option in enumerate(options, start=1)
            if not isinstance(option, dict)
            or option.get("next") not in nodes
            or not str(option.get("label", "")).strip()
        ]
    kind = node.get("kind")
    if kind not in OutcomeKind.values:
        return [gettext("Node {key}: unknown kind of outcome.").format(key=key)]
    if not str(node.get("title", "")).strip():
        return [gettext("Node {key}: the outcome has no title.").format(key=key)]
    if kind in (OutcomeKind.LETTER, OutcomeKind.AGREEMENT) and not node.get("template"):
        return [gettext("Node {key}: a letter or agreement needs its template.").format(key=key)]
    if kind == OutcomeKind.REFERRAL and node.get("referral") not in Referral.values:
        return [gettext("Node {key}: say where the citizen is referred.").format(key=key)]
    return []


def _shape_errors(start: str, nodes: dict[str, Any]) -> list[str]:
    """Every node reachable from the start, no answer leading back up (a tree, not a loop)."""
    seen: set[str] = set()
    errors: list[str] = []

    def walk(key: str, above: tuple[str, ...]) -> None:
        if key in above:
            errors.append(gettext("Node {key}: an answer leads back to it.").format(key=key))
            return
        seen.add(key)
        for option in nodes[key].get("options", []) if nodes[key]["type"] == "question" else []:
            walk(option["next"], (*above, key))

    walk(start, ())
    errors += [
        gettext("Node {key} cannot be reached from the start.").format(key=key)
        for key in nodes
        if key not in seen
    ]
    return errors
