"""办结日期 and 按期 on the case page, by the definition the ledger and the KPI use."""

from django import template

from fengqiao.cases import conclusion
from fengqiao.cases.models import Case

register = template.Library()


@register.simple_tag
def case_conclusion(case: Case) -> tuple | None:
    """(办结日期, 按期) of a concluded case; None while it has no outcome."""
    return conclusion.case_conclusion(case)
