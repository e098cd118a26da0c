"""Labels for the codes stored in timeline events (codes are stored, labels are shown)."""

from django import template

from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseStatus

register = template.Library()


@register.filter
def transition_label(name: str) -> str:
    transition = workflow.TRANSITIONS.get(name)
    return str(transition.label) if transition else name


@register.filter
def status_label(code: str) -> str:
    return str(CaseStatus(code).label) if code in CaseStatus.values else code
