"""What ``manage.py verify_records`` checks across every case (issue #14): seals, file numbers and
the papers a 卷宗 binds, each failure named in Chinese.

A check is a function of the cases to look at that yields ``Failure`` rows; ``CHECKS`` lists
them in the order they run. Another check (the parties' particulars, say) is one more function
appended to ``CHECKS``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet

from fengqiao.cases.choices import CaseOutcome
from fengqiao.cases.models import Case
from fengqiao.documents import kinds
from fengqiao.documents.casefile import case_file_load
from fengqiao.mediation.choices import NUMBER_WORDS, SignatureRole
from fengqiao.mediation.models import Agreement, FileNumber, NumberCounter
from fengqiao.mediation.numbers import number_text
from fengqiao.mediation.particulars_check import CHECK_NAME as PARTICULARS
from fengqiao.mediation.particulars_check import check_particulars
from fengqiao.orgs.choices import ADMINISTRATIVE_KINDS, COMMITTEE_KINDS, INVITABLE_KINDS
from fengqiao.routing.models import InvitedOrganisation

SEALING_KINDS = COMMITTEE_KINDS | ADMINISTRATIVE_KINDS


@dataclass(frozen=True, slots=True)
class Failure:
    """One record that does not stand up: where (a case number, or a unit), which check, why."""

    where: str
    check: str  # 印章, 编号, 卷宗…
    problem: str

    def __str__(self) -> str:
        return f"{self.check}：{self.where}：{self.problem}"


Check = Callable[[QuerySet[Case]], Iterator[Failure]]


def check_seals(cases: QuerySet[Case]) -> Iterator[Failure]:
    """Every written agreement in force bears one seal, of a 人民调解委员会 (or, for 行政调解,
    the administrative body), under that body's own name (人民调解法 art.29)."""
    agreements = (
        Agreement.objects.filter(case__in=cases, effective_on__isnull=False, form="written")
        .select_related("case")
        .prefetch_related("signatures__org")
        .order_by("case__number", "pk")
    )
    for agreement in agreements:
        where = agreement.case.number
        seals = [s for s in agreement.signatures.all() if s.role == SignatureRole.SEAL]
        if not seals:
            yield Failure(where, "印章", "生效的书面调解协议未加盖调解组织印章")
        for seal in seals:
            if seal.org is None:
                yield Failure(where, "印章", f"印章“{seal.signer_name}”未对应任何调解组织")
            elif seal.org.kind not in SEALING_KINDS:
                yield Failure(
                    where,
                    "印章",
                    f"调解协议由{seal.org.name}盖章，该单位不是人民调解委员会（人民调解法第二十九条）",
                )
            elif seal.signer_name != seal.org.name:
                yield Failure(
                    where, "印章", f"印章名称“{seal.signer_name}”与盖章单位{seal.org.name}不符"
                )


def check_numbers(cases: QuerySet[Case]) -> Iterator[Failure]:
    """File numbers: none printed twice, each in the MoJ form of its issuing body's series, each
    from a body that may issue it, below its counter (so never issued again), and every
    agreement in force carries its case's number."""
    numbers = FileNumber.objects.filter(case__in=cases).select_related("org", "case")
    repeated = (
        FileNumber.objects.values("text").annotate(n=Count("pk")).filter(n__gt=1).order_by("text")
    )
    for row in repeated:
        yield Failure(row["text"], "编号", f"同一编号被使用 {row['n']} 次")
    for number in numbers.order_by("case__number", "pk"):
        where = number.case.number
        if number.org.kind not in SEALING_KINDS:
            yield Failure(
                where, "编号", f"编号{number.text}由{number.org.name}编制，该单位不是调解组织"
            )
        expected = number_text(number.org, number.year, number.kind, number.sequence)
        if number.kind not in NUMBER_WORDS or number.text != expected:
            yield Failure(where, "编号", f"编号{number.text}不符合文书格式，应为{expected}")
    highest = FileNumber.objects.values("org", "year", "kind").annotate(top=Max("sequence"))
    counters = {
        (c.org_id, c.year, c.kind): c.last_value for c in NumberCounter.objects.select_related()
    }
    for row in highest:
        if counters.get((row["org"], row["year"], row["kind"]), 0) < row["top"]:
            yield Failure(
                f"单位 {row['org']} {row['year']} 年",
                "编号",
                f"计数器低于已用最大序号 {row['top']}，后续编号会重复",
            )
    numbered = set(numbers.values_list("case_id", flat=True))
    in_force = (
        Agreement.objects.filter(case__in=cases, effective_on__isnull=False)
        .exclude(case_id__in=numbered)
        .select_related("case")
        .order_by("case__number")
    )
    for agreement in in_force:
        yield Failure(agreement.case.number, "编号", "生效的调解协议没有调解组织编制的卷宗编号")


def check_invited_lists(cases: QuerySet[Case]) -> Iterator[Failure]:
    """Courts' invited lists hold mediation organisations only (特邀调解规定 art.5)."""
    rows = InvitedOrganisation.objects.filter(is_active=True).select_related("court", "org")
    for row in rows.exclude(org__kind__in=INVITABLE_KINDS).order_by("court__code", "org__code"):
        yield Failure(
            row.court.name,
            "特邀名册",
            f"{row.org.name}不是调解组织，不能列入特邀调解组织名册（特邀调解规定第五条）",
        )


def check_bound_papers(cases: QuerySet[Case]) -> Iterator[Failure]:
    """Every mediation file that ended (agreement or termination) can be bound: it holds each
    paper it must (``kinds.dossier_required``), and each paper it binds records what happened
    (its precondition); an agreement in force came out of notified parties and a session."""
    ended = cases.filter(outcome__in=[CaseOutcome.RESOLVED, CaseOutcome.TERMINATED])
    for case in ended.select_related("handling_org", "registering_org").order_by("number"):
        data = case_file_load(case)
        for missing in kinds.dossier_missing(data):
            yield Failure(case.number, "卷宗", f"缺少{missing}")
        for section in kinds.dossier_sections(data):
            reason = section.check(data)
            if reason:  # pragma: no cover  sections are chosen by their check
                yield Failure(case.number, "卷宗", f"{section.title}不应装订：{reason}")
        if case.outcome == CaseOutcome.RESOLVED and data.in_force is not None:
            if not data.sessions:
                yield Failure(case.number, "卷宗", "调解协议生效前没有任何调解记录")
            notified = {n.party_id for n in data.rights}
            unnotified = [p.name for p in data.parties if p.pk not in notified]
            if unnotified:
                yield Failure(
                    case.number,
                    "卷宗",
                    f"调解协议生效前未告知权利义务：{'、'.join(unnotified)}（若干规定第三十条）",
                )
        if any(not s.mediators.all() for s in data.sessions):
            yield Failure(case.number, "卷宗", "有调解记录没有主持调解的人民调解员")


def check_parties(cases: QuerySet[Case]) -> Iterator[Failure]:
    """Every written agreement in force states its parties' particulars (art.29)."""
    for where, problem in check_particulars(cases):
        yield Failure(where, PARTICULARS, problem)


CHECKS: list[Check] = [
    check_seals,
    check_numbers,
    check_invited_lists,
    check_bound_papers,
    check_parties,
]


def verify(cases: QuerySet[Case] | None = None) -> Iterator[Failure]:
    """Every failure of every check over ``cases`` (all cases when None)."""
    scope = Case.objects.all() if cases is None else cases
    for check in CHECKS:
        yield from check(scope)
