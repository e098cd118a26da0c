"""Everything a case's documents are filled from, read in one go so that availability checks and
context builders are pure functions of this snapshot (STYLE: contexts testable without files)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from fengqiao.cases.choices import Action, AgreementForm, EventKind
from fengqiao.cases.conclusion import case_conclusion
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.cases.particulars import Particulars
from fengqiao.knowledge.models import Citation
from fengqiao.mediation import numbers, seals
from fengqiao.mediation.choices import FollowUpState
from fengqiao.mediation.models import (
    Agreement,
    FailureRecord,
    FollowUp,
    Investigation,
    RightsNotice,
    Session,
)
from fengqiao.mediation.sham import REFERRAL as SHAM_REFERRAL
from fengqiao.orgs.models import Mediator


@dataclass
class CaseFile:
    """A read-only snapshot of a case and its mediation work."""

    case: Case
    parties: list[Party]
    sessions: list[Session]
    investigations: list[Investigation]
    rights: list[RightsNotice]
    agreements: list[Agreement]
    visits: list[FollowUp]
    failure: FailureRecord | None
    accepted_on: date | None = None
    terminated: CaseEvent | None = None
    attachments: int = 0
    mediator_names: list[str] = field(default_factory=list)
    # the case's mediator when no session or signature names one (``_mediator_of_record``)
    mediator_of_record: str = ""
    # "（2026）X人调字第N号" from the sealing body (mediation.numbers); empty before it is issued
    file_number: str = ""
    committee: str = ""  # the body that mediates, seals and numbers (mediation.seals)
    # 行政调解: the body is an administrative organ (orgs ADMINISTRATIVE_KINDS), not a committee
    administrative: bool = False
    # a suspected 虚假调解 and the bodies it was reported to (mediation.sham), by name
    sham_reported_to: list[str] | None = None
    concluded_on: date | None = None  # 办结日期 (cases.conclusion)
    # the law the mediator cited (knowledge base), as "《法》第N条" by where it was cited
    basis: dict[str, list[str]] = field(default_factory=dict)
    # party id -> {"id_number", "phone"} in full, only when an authorised user asked for them
    revealed: dict[int, dict[str, str]] = field(default_factory=dict)
    # party id -> decrypted particulars (性别, 民族, 出生日期…), loaded only for the documents
    # that print them (``kinds.PARTICULARS_KINDS``); the generation audits each party shown
    particulars: dict[int, Particulars] = field(default_factory=dict)

    def agreement(self, form: str) -> Agreement | None:
        """The agreement of that form a document shows: the newest in force, else the newest
        draft (a draft is printed for the parties to sign)."""
        candidates = [a for a in self.agreements if a.form == form]
        in_force = [a for a in candidates if a.effective_on is not None]
        pool = in_force or candidates
        return pool[-1] if pool else None

    @property
    def in_force(self) -> Agreement | None:
        """The newest agreement in force, written or oral."""
        found = [a for a in self.agreements if a.effective_on is not None]
        return found[-1] if found else None

    @property
    def written(self) -> Agreement | None:
        return self.agreement(AgreementForm.WRITTEN)

    @property
    def oral(self) -> Agreement | None:
        return self.agreement(AgreementForm.ORAL)


def _mediator_of_record(case: Case) -> str:
    """Who handled the case when no session or signature names a mediator (a case of an earlier
    year brought in from a ledger, issue #21 item 7): the roster mediator without a login it
    recorded, else the assignee by their roster name, else by their login's name."""
    if case.roster_mediator_id is not None and case.roster_mediator is not None:
        return case.roster_mediator.name
    assignee = case.assignee
    if assignee is None:
        return ""
    entry = Mediator.objects.filter(user=assignee).values_list("name", flat=True).first()
    return entry or assignee.full_name or assignee.username


def case_file_load(case: Case) -> CaseFile:
    """Read the case's parties, records, agreements (with terms and signatures), 回访 done,
    failure record and termination; the caller has already scoped ``case`` to its actor."""
    sessions = list(
        Session.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("mediators")
        .order_by("held_at", "pk")
    )
    agreements = list(
        Agreement.objects.filter(case=case)
        .prefetch_related("terms", "signatures")
        .select_related("created_by")
        .order_by("pk")
    )
    events = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITIONED).order_by("seq")
    accepted = events.filter(data__transition=Action.ACCEPT).first()
    terminated = events.filter(data__transition=Action.TERMINATE).last()
    sham = (
        CaseEvent.objects.filter(
            case=case,
            kind=EventKind.REFERRAL_RECORDED,
            data__referral=SHAM_REFERRAL,
        )
        .order_by("seq")
        .last()
    )
    names: list[str] = []
    for session in sessions:
        names += [m.name for m in session.mediators.all()]
    for agreement in agreements:
        names += [s.signer_name for s in agreement.signatures.all() if s.role == "mediator"]
    of_record = "" if any(names) else _mediator_of_record(case)
    names.append(of_record)
    number = numbers.file_number_current(case)
    body = seals.sealing_body(case)
    conclusion = case_conclusion(case)
    basis: dict[str, list[str]] = {}
    for citation in Citation.objects.filter(case=case).select_related("entry").order_by("pk"):
        entry = citation.entry
        cited = f"《{entry.law_name}》{entry.article_no}" if entry.law_name else entry.title
        basis.setdefault(citation.cited_in, []).append(cited)
    return CaseFile(
        case=case,
        basis=basis,
        parties=list(Party.objects.filter(case=case).order_by("pk")),
        sessions=sessions,
        investigations=list(
            Investigation.objects.filter(case=case)
            .select_related("recorded_by")
            .order_by("investigated_on", "pk")
        ),
        rights=list(
            RightsNotice.objects.filter(case=case).select_related("party").order_by("party_id")
        ),
        agreements=agreements,
        visits=list(
            FollowUp.objects.filter(case=case, state=FollowUpState.DONE)
            .select_related("recorded_by", "term")
            .order_by("done_on", "pk")
        ),
        failure=FailureRecord.objects.filter(case=case)
        .prefetch_related("confirmed_by")
        .select_related("recorded_by")
        .first(),
        accepted_on=timezone.localdate(accepted.occurred_at) if accepted else None,
        terminated=terminated,
        attachments=case.attachments.count(),
        mediator_names=list(dict.fromkeys(n for n in names if n)),
        mediator_of_record=of_record,
        file_number=number.text if number else "",
        committee=(body or case.handling_org).name,
        administrative=seals.is_administrative(body or case.handling_org),
        sham_reported_to=(
            [str(name) for name in sham.data.get("reported_names", [])] if sham else None
        ),
        concluded_on=conclusion[0] if conclusion else None,
    )
