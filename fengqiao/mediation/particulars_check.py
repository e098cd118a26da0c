"""The particulars part of ``manage.py verify_records`` (issue #14): every written agreement in
force states its parties' particulars. A plain function over the cases to look at, yielding
(case number, problem in Chinese), so the records check can list it with the others."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation

from fengqiao.cases import particulars
from fengqiao.cases.choices import AgreementForm
from fengqiao.cases.models import Case
from fengqiao.mediation.models import Agreement

CHECK_NAME = "当事人"


def check_particulars(cases: QuerySet[Case]) -> Iterator[tuple[str, str]]:
    """Each party of a case with a written agreement in force has 性别, 民族, 出生日期, 职业,
    住址, 证件 and 联系方式 recorded (an organisation its 住所, 统一社会信用代码 and 法定代表人)
    (人民调解法 art.29; bare names once passed). Anonymised parties are not held to it."""
    in_force = Agreement.objects.filter(
        case__in=cases, effective_on__isnull=False, form=AgreementForm.WRITTEN
    )
    checked = (
        Case.objects.filter(pk__in=in_force.values("case_id"))
        .prefetch_related("parties")
        .order_by("number")
    )
    with translation.override("zh-hans"):
        for case in checked:
            for party in case.parties.all():
                if party.anonymised_at is None and (message := particulars.missing_message(party)):
                    yield case.number, message
