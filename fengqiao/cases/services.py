"""Every write to a case: registration, the one workflow executor, overdue marking, PII reveal."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import clocks, deadlines, hooks, refdata, selectors, workflow
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    CaseStatus,
    Channel,
    EventKind,
    IdType,
    PartiesConsent,
    PartyKind,
    PartyRole,
    RiskLevel,
    TerminationReason,
)
from fengqiao.cases.ledger import GENESIS, seal, to_json_data
from fengqiao.cases.models import (
    Case,
    CaseCounter,
    CaseDeadline,
    CaseEvent,
    CaseLink,
    CaseLinkKind,
    Party,
)
from fengqiao.cases.particulars import derived_from_id_number
from fengqiao.core import clock, validators
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked
from fengqiao.orgs.models import Mediator, Organisation
from fengqiao.orgs.roster import declared_conflicts
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Grid, Region

Errors = dict[str, list[str]]
MAX_AMOUNT = Decimal(10) ** 12  # Case.amount holds 14 digits, 2 of them after the point


@dataclass(frozen=True, slots=True)
class PartyDraft:
    role: str
    name: str
    kind: str = PartyKind.PERSON
    id_number: str = ""
    phone: str = ""
    address: str = ""
    region: str = ""  # code of the township or village where the party lives


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """Input for registering a case; built by the register form, the API schema and importers
    alike."""

    org_id: int
    title: str
    description: str
    channel: str
    category: str
    region: str
    parties: tuple[PartyDraft, ...]
    claims: str = ""
    subcategory: str = ""
    source_ref: str = ""
    occurred_on: date | None = None
    grid: str = ""
    address: str = ""
    amount: Decimal | None = None
    people_count: int = 2
    risk_level: str = RiskLevel.LOW
    is_criminal_risk: bool = False
    is_mass: bool = False
    is_extreme: bool = False
    # Channel details a routing rule may use (e.g. {"court": "<org code>"} for a delegation).
    route_extra: dict[str, Any] = field(default_factory=dict)
    # A time limit the source sets itself (a 12345 work order's 办理时限, a court's 委托 15/7
    # days) wins over a deadline policy that is not statutory; a statutory one caps it.
    due_date: date | None = None
    # The court's procedure (choices.CourtProcedure): 委派 30, 委托 15 or 7 days (art.27).
    procedure: str = ""


@dataclass(frozen=True, slots=True)
class ActionInput:
    """What a workflow action was given; which fields count is declared per action in the table."""

    note: str = ""
    referred_to: str = ""
    org_id: int | None = None
    assignee_id: int | None = None
    lead_id: int | None = None
    due_date: date | None = None
    agreement_form: str = ""
    termination_reason: str = ""
    merge_into: str = ""
    # A statutory extension: the 信访 organ's approval, or the parties' consent document.
    approval_ref: str = ""
    consent_document: int | None = None
    parties_consent: str = ""  # PartiesConsent; "" where a client does not say (older API use)
    # 交办 to a roster entry without a login, in place of ``assignee_id``: only a history import
    # gives it (issue #21 item 7); no form or API body has the field.
    roster_mediator_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _required(errors: Errors, name: str, value: object) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        _add(errors, name, gettext("This field is required."))


def _registering_org(actor: User, org_id: int, errors: Errors) -> Organisation | None:
    granted = access.org_ids_with(actor, Capability.CASE_REGISTER)
    org = Organisation.objects.select_related("region").filter(pk=org_id, is_active=True).first()
    if org is not None and org.pk not in granted and clock.imported() is not None:
        # A history import registers a ledger row at the unit that handled it: a township
        # centre's ledger holds its committees' past cases (issue #21 item 7). Live work
        # registers at one's own unit only.
        granted = access.history_unit_ids(actor)
    if org is None or org.pk not in granted:
        _add(errors, "org_id", gettext("You cannot register cases for this organisation."))
        return None
    return org


def _validate_parties(parties: tuple[PartyDraft, ...], errors: Errors) -> None:
    if not parties:
        _add(errors, "parties", gettext("Add at least one party."))
    for index, party in enumerate(parties):
        prefix = f"parties.{index}."
        _required(errors, prefix + "name", party.name)
        if len(party.name) > 100:
            _add(errors, prefix + "name", gettext("At most 100 characters."))
        if party.role not in PartyRole.values:
            _add(errors, prefix + "role", gettext("Choose applicant, respondent or third party."))
        if party.kind not in PartyKind.values:
            _add(errors, prefix + "kind", gettext("Choose person or organisation."))
        if problem := validators.party_identifier_problem(party.kind, party.id_number):
            _add(errors, prefix + "id_number", problem)
        if party.phone and (problem := validators.phone_problem(party.phone)):
            _add(errors, prefix + "phone", problem)
        if len(party.address) > 200:
            _add(errors, prefix + "address", gettext("At most 200 characters."))
        if party.region and not _party_region(party.region):
            _add(errors, prefix + "region", gettext("Choose a township or village from the list."))


def _party_region(code: str) -> Region | None:
    return Region.objects.filter(code=code, level__gte=RegionLevel.TOWNSHIP).first()


def _validate_draft(actor: User, draft: CaseDraft) -> tuple[Errors, dict[str, Any]]:
    """Every rule a new case must meet, as field errors; also returns the rows the draft names."""
    errors: Errors = {}
    found: dict[str, Any] = {"org": _registering_org(actor, draft.org_id, errors)}
    _required(errors, "title", draft.title)
    if len(draft.title) > 200:
        _add(errors, "title", gettext("At most 200 characters."))
    _required(errors, "description", draft.description)
    if draft.channel not in Channel.values:
        _add(errors, "channel", gettext("Choose a channel from the list."))
    known = refdata.categories()
    category = known.top_level(draft.category)
    if category is None:
        _add(errors, "category", gettext("Choose a category from the list."))
    found["category"] = category
    found["subcategory"] = None
    if draft.subcategory:
        found["subcategory"] = known.child(draft.subcategory, category)
        if found["subcategory"] is None:
            _add(
                errors, "subcategory", gettext("This subcategory does not belong to the category.")
            )
    region = Region.objects.filter(code=draft.region, level__gte=RegionLevel.TOWNSHIP).first()
    if region is None:
        _add(errors, "region", gettext("Choose the township or village where the dispute arose."))
    elif not access.can(actor, Capability.CASE_REGISTER, prefix=region.prefix):
        _add(errors, "region", gettext("This place is outside your jurisdiction."))
    found["region"] = region
    found["grid"] = None
    if draft.grid:
        found["grid"] = (
            Grid.objects.filter(code=draft.grid, village=region).first() if region else None
        )
        if found["grid"] is None:
            _add(errors, "grid", gettext("This grid is not in the chosen village."))
    if draft.amount is not None:
        amount = Decimal(draft.amount)
        if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
            _add(errors, "amount", gettext("The amount is too large."))
        elif amount < 0:
            _add(errors, "amount", gettext("The amount cannot be negative."))
    if draft.people_count < 1:
        _add(errors, "people_count", gettext("At least one person is involved."))
    if draft.risk_level not in RiskLevel.values:
        _add(errors, "risk_level", gettext("Choose a risk level from the list."))
    if draft.due_date and draft.due_date < clock.today():
        _add(errors, "due_date", gettext("The deadline cannot be in the past."))
    if draft.occurred_on and draft.occurred_on > clock.today():
        _add(errors, "occurred_on", gettext("The date cannot be in the future."))
    found["unseen_duplicate"] = None
    same_source = (
        Case.objects.filter(channel=draft.channel, source_ref=draft.source_ref.strip()).first()
        if draft.source_ref.strip()
        else None
    )
    if same_source is not None:
        if selectors.case_list_for(actor=actor).filter(pk=same_source.pk).exists():
            _add(
                errors,
                "source_ref",
                gettext("A case with this source reference is already registered."),
            )
        else:
            # Another unit's record: refusing would tell this actor that it exists (issue #17).
            # The case is registered as if the number were new and linked to that record
            # automatically, for those who see both to merge.
            found["unseen_duplicate"] = same_source
    _validate_parties(draft.parties, errors)
    return errors, found


def case_draft_errors(*, actor: User, draft: CaseDraft) -> Errors:
    """The field errors ``case_register`` would raise for ``draft``, without writing anything:
    importers check every row before they register any."""
    return _validate_draft(actor, draft)[0]


@transaction.atomic
def case_register(*, actor: User, draft: CaseDraft, router: hooks.Router | None = None) -> Case:
    """Write a new case registered at the actor's organisation and open its timeline.

    This is the last step of the one intake path (``intake.pipeline.register_dispute``), which
    passes the routing app's router; called alone (the cases app's own tests) the registering
    organisation handles the case.

    Raises:
        InvalidInput: a field breaks a rule (field-level messages); nothing is written.
    """
    errors, found = _validate_draft(actor, draft)
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    org: Organisation = found["org"]
    region: Region = found["region"]
    today = clock.today()
    party_regions = {p.region: _party_region(p.region) for p in draft.parties if p.region}
    decision = (
        None
        if router is None
        else router(
            hooks.RouteRequest(
                registering_org=org,
                channel=draft.channel,
                category=draft.category,
                subcategory=draft.subcategory,
                region=region,
                party_regions=tuple(r for r in party_regions.values() if r is not None),
                amount=draft.amount,
                people_count=draft.people_count,
                extra=draft.route_extra,
            )
        )
    )
    handling = decision.org if decision is not None else org
    policy = deadlines.policy_for(
        channel=draft.channel,
        category_id=found["category"].pk,
        level=handling.region.level,
        procedure=draft.procedure,
        place_prefix=region.prefix,
    )
    plan, clock_errors = clocks.plan_new_case(
        policy=policy, channel=draft.channel, today=today, requested=draft.due_date
    )
    if clock_errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=clock_errors)
    case = Case.objects.create(
        number=case_number_next(org=org, on=today),
        title=draft.title.strip(),
        description=draft.description.strip(),
        claims=draft.claims.strip(),
        channel=draft.channel,
        # one case per (channel, source_ref): the number stays on the record it came with
        source_ref="" if found["unseen_duplicate"] else draft.source_ref.strip(),
        category=found["category"],
        subcategory=found["subcategory"],
        occurred_on=draft.occurred_on,
        region=region,
        grid=found["grid"],
        address=draft.address.strip(),
        amount=draft.amount,
        people_count=draft.people_count,
        risk_level=draft.risk_level,
        is_criminal_risk=draft.is_criminal_risk,
        is_mass=draft.is_mass,
        is_extreme=draft.is_extreme,
        registering_org=org,
        registered_by=actor,
        handling_org=handling,
        handling_prefix=handling.region.prefix,
        place_prefix=region.prefix,
        due_date=plan.due_date,
        routing=_routing_data(decision),
    )
    for row in plan.rows:
        row.case = case
    CaseDeadline.objects.bulk_create(plan.rows)
    parties = []
    for draft_party in draft.parties:
        party = Party(
            case=case,
            role=draft_party.role,
            kind=draft_party.kind,
            region=party_regions.get(draft_party.region),
        )
        party.set_name(draft_party.name.strip())
        party.set_address(draft_party.address)
        party.set_id_number(draft_party.id_number)
        party.set_phone(draft_party.phone)
        if draft_party.kind == PartyKind.PERSON and draft_party.id_number:
            # 性别 and 出生日期 default to what the 居民身份证 number says (issue #14)
            party.id_type = IdType.RESIDENT_ID
            party.set_particulars(derived_from_id_number(draft_party.id_number))
        elif draft_party.id_number:
            party.id_type = IdType.CREDIT_CODE  # validated as one (issue #16)
        parties.append(party)
    Party.objects.bulk_create(parties)
    registered: dict[str, Any] = {
        "channel": case.channel,
        "category": draft.category,
        "org": org.code,
        "region": region.code,
        "due_date": case.due_date,
        "source_ref": draft.source_ref.strip(),
    }
    if plan.rows:  # the statutory limits that start running, each with its citation
        registered["deadlines"] = [
            {
                "stage": row.stage,
                "basis": row.basis,
                "started_on": row.started_on.isoformat(),
                "due_date": row.due_date.isoformat(),
            }
            for row in plan.rows
        ]
    _append_event(case, actor=actor, kind=EventKind.REGISTERED, org=org, data=registered)
    if found["unseen_duplicate"] is not None:
        case_links_add(
            actor=actor,
            case=case,
            other=found["unseen_duplicate"],
            kind=CaseLinkKind.DUPLICATE,
            score=1.0,
            reasons=["同一来源编号 " + draft.source_ref.strip()],
            automatic=True,
        )
    if decision is not None:
        _append_event(case, actor=actor, kind=EventKind.ROUTED, org=org, data={**case.routing})
    case.save(update_fields=["event_count", "ledger_head"])
    record(actor=actor, action=AuditAction.CASE_REGISTERED, target=case, org=org)
    return case


def _routing_data(decision: hooks.RoutingDecision | None) -> dict[str, Any]:
    if decision is None:
        return {}
    return {
        "rule": decision.rule_code,
        "rule_name": decision.rule_name,
        "reason": decision.reason,
        "org": decision.org.code,
        "org_name": decision.org.name,
    }


def case_number_next(*, org: Organisation, on: date) -> str:
    """Next case number of ``org`` in ``on.year``: unit code + year + sequence. Call in a
    transaction;
    the counter row lock orders concurrent writers, so no number is issued twice."""
    counters = CaseCounter.objects.select_for_update()
    counter = counters.filter(org=org, year=on.year).first()
    if counter is None:  # the unit's first case of the year (get_or_create settles a race)
        created, _new = CaseCounter.objects.get_or_create(org=org, year=on.year)
        counter = counters.get(pk=created.pk)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{org.code}-{on.year}-{counter.last_value:05d}"


def _append_event(
    case: Case, *, actor: User, kind: str, org: Organisation, data: dict[str, Any]
) -> CaseEvent:
    """Seal and append one event; updates the case's head in memory (the caller saves the case).

    The caller holds the case row lock (or has just created the case), so ``seq`` cannot race.
    Written by a history import (``clock.imported()``), the event carries the import's marker
    in its sealed data and the real day it was written (``imported_on``).
    """
    marker = clock.imported()
    if marker is not None:
        data = {**data, "imported": marker}
    event = CaseEvent(
        case=case,
        seq=case.event_count + 1,
        kind=kind,
        actor=actor,
        actor_name=str(actor),
        org=org,
        occurred_at=clock.now(),
        data=to_json_data(data),
        prev_hash=case.ledger_head or GENESIS,
        imported_on=clock.real_today() if marker is not None else None,
    )
    event.hash = seal(event)
    event.save(force_insert=True)
    case.event_count, case.ledger_head = event.seq, event.hash
    hooks.event_appended(case, event)
    return event


@transaction.atomic
def case_transition(
    *, actor: User, case_id: int, name: str, action: ActionInput | None = None
) -> Case:
    """Fire workflow action ``name`` on a case: lock, check, apply, record in timeline and audit.

    Raises:
        NotFound: no such case or action, or the case is outside the actor's jurisdiction.
        TransitionBlocked: wrong state, missing capability, or a guard objected (409).
        InvalidInput: the action's input is missing or wrong (422); nothing is written.
    """
    action = action or ActionInput()
    transition = workflow.get(name)
    case = selectors.case_get_for(
        actor=actor, case_id=case_id, lock=True
    )  # serialises racing clicks
    reasons = workflow.blockers(transition, case=case, actor=actor)
    if reasons:
        raise TransitionBlocked(transition=transition.name, reasons=reasons)

    errors: Errors = {}
    for name_ in transition.required:
        given = getattr(action, name_)
        if name_ == workflow.ASSIGNEE and given is None:
            given = action.roster_mediator_id  # _assign takes it from a history import only
        _required(errors, name_, given)
    if len(action.note) > 2000:
        _add(errors, "note", gettext("At most 2000 characters."))
    previous = case.status
    changed: set[str] = {"status", "status_changed_at", "updated_at", "event_count", "ledger_head"}
    details = _EFFECTS.get(transition.name, _no_effect)(case, action, actor, errors, changed)
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)

    if not transition.keeps_status:
        case.status = transition.target or CaseStatus(details.pop("restore_status"))
    case.status_changed_at = clock.now()
    if transition.outcome is not None:
        case.outcome = transition.outcome
        changed.add("outcome")
    if transition.clears_outcome:
        case.outcome = ""
        changed.add("outcome")
    data = {
        "transition": transition.name,
        "from": previous,
        "to": case.status,
        "note": action.note.strip(),
        **details,
    }
    if transition.outcome is not None:
        data["was_due"] = case.due_date  # on time or late, as it stood when the case concluded
    _append_event(case, actor=actor, kind=EventKind.TRANSITIONED, org=case.handling_org, data=data)
    case.save(update_fields=sorted(changed))
    hooks.after_transition(case, transition.name, action, actor)
    record(
        actor=actor,
        action=AuditAction.CASE_TRANSITIONED,
        target=case,
        org=case.handling_org,
        changes={"status": [previous, case.status]},
        extra={"transition": transition.name},
    )
    return case


class Effect(Protocol):
    """What one workflow action does to the case beyond its status: it reads the action's
    input, adds field errors to ``errors`` (then nothing is written), names the fields it set in
    ``changed`` and returns the details the timeline event records."""

    def __call__(
        self, case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str], /
    ) -> dict[str, Any]: ...


def _no_effect(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    return {}


def _target_org(action: ActionInput, errors: Errors) -> Organisation | None:
    if action.org_id is None:
        return None
    org = (
        Organisation.objects.select_related("region")
        .filter(pk=action.org_id, is_active=True)
        .first()
    )
    if org is None:
        _add(errors, "org_id", gettext("Choose an active organisation."))
    return org


def _set_handling(case: Case, org: Organisation, changed: set[str]) -> None:
    case.handling_org, case.handling_prefix = org, org.region.prefix
    changed.update({"handling_org", "handling_prefix"})


def _member_with(user_id: int | None, org: Organisation, capability: Capability) -> User | None:
    if user_id is None:
        return None
    roles = roles_with(capability)
    membership = (
        Membership.objects.active()
        .filter(user_id=user_id, user__is_active=True, role__in=roles)
        .filter(org=org)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def conflict_messages(case: Case, users: list[User]) -> list[str]:
    """A sentence per relationship the users' roster entries declared with a party of the case:
    they must withdraw from it (人民调解法 art.23; 特邀调解规定 art.15; issue #14 item 1)."""
    ids = list(Mediator.objects.filter(user__in=users).values_list("pk", flat=True))
    return _conflict_sentences(case, ids)


def _conflict_sentences(case: Case, ids: list[int]) -> list[str]:
    if not ids:
        return []
    parties = list(case.parties.all())
    found = declared_conflicts(
        ids,
        names={p.name for p in parties},
        id_indexes={p.id_number_index for p in parties if p.id_number_index},
    )
    return [
        gettext("%(mediator)s declared a relationship with %(person)s (%(relationship)s).")
        % {"mediator": c.mediator.name, "person": c.person_name, "relationship": c.relationship}
        for c in found
    ]


def _assign(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    org = _target_org(action, errors)
    if org is not None and not access.can(actor, Capability.CASE_ASSIGN, prefix=org.region.prefix):
        _add(errors, "org_id", gettext("You can only assign to units within your jurisdiction."))
        org = None
    assignee = _member_with(action.assignee_id, org, Capability.CASE_MEDIATE) if org else None
    if org is not None and action.assignee_id is not None and assignee is None:
        _add(errors, "assignee_id", gettext("Choose a mediator who works for this unit."))
    if assignee is not None:
        for message in conflict_messages(case, [assignee]):
            _add(errors, "assignee_id", message)
    entry = None
    if action.assignee_id is None and action.roster_mediator_id is not None:
        entry = _roster_entry(case, action.roster_mediator_id, org, errors)
    if action.due_date is not None and action.due_date < clock.today():
        _add(errors, "due_date", gettext("The deadline cannot be in the past."))
    lead = None
    if action.lead_id is not None:
        lead = User.objects.filter(pk=action.lead_id, is_active=True).first()
        if (
            lead is None
            or org is None
            or not access.can(lead, Capability.CASE_SUPERVISE, prefix=org.region.prefix)
        ):
            _add(
                errors,
                "lead_id",
                gettext("Choose a leader with supervision rights over this unit."),
            )
    handling = clocks.check_assign(case, action.due_date, errors)
    if errors or org is None or (assignee is None and entry is None) or action.due_date is None:
        return {}
    clocks.set_due(handling, action.due_date)
    _set_handling(case, org, changed)
    case.assignee, case.roster_mediator, case.due_date = assignee, entry, action.due_date
    case.overdue_since = None
    changed.update({"assignee", "roster_mediator", "due_date", "overdue_since"})
    details: dict[str, Any] = {"org": org.code}
    if assignee is not None:
        details["assignee"] = assignee.username
    if entry is not None:
        details.update(mediator=entry.name, roster_mediator=entry.pk)
    details["due_date"] = action.due_date
    if lead is not None:
        case.lead = lead
        changed.add("lead")
        details["lead"] = lead.username
    if handling is not None:
        details["limit_date"] = handling.limit_date
        details["basis"] = handling.basis
    return details


def _roster_entry(
    case: Case, entry_id: int, org: Organisation | None, errors: Errors
) -> Mediator | None:
    """The roster entry a history import hands the replayed case to: a mediator of ``org`` on
    its roster who never had a login (issue #21 item 7). Live work assigns logins only: someone
    who cannot sign in cannot act on the case."""
    entry = (
        Mediator.objects.filter(pk=entry_id, org=org, is_active=True).first()
        if org is not None and clock.imported() is not None
        else None
    )
    if entry is None:
        if org is not None:
            _add(errors, "assignee_id", gettext("Choose a mediator who works for this unit."))
        return None
    for message in _conflict_sentences(case, [entry.pk]):
        _add(errors, "assignee_id", message)
    return entry


def _hand_over(case: Case, org: Organisation, changed: set[str]) -> dict[str, Any]:
    details = {"from_org": case.handling_org.code, "org": org.code, "restore_to": case.status}
    case.transfer_from, case.transfer_return_status = case.handling_org, case.status
    changed.update({"transfer_from", "transfer_return_status"})
    _set_handling(case, org, changed)
    return details


def _transfer(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    org = _target_org(action, errors)
    if org is not None and org.pk == case.handling_org_id:
        _add(errors, "org_id", gettext("The case is already handled by this organisation."))
    if errors or org is None:
        return {}
    return _hand_over(case, org, changed)


def _escalate(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    org = _target_org(action, errors)
    here = case.handling_org.region
    if org is not None and not (
        org.region.level < here.level and here.prefix.startswith(org.region.prefix)
    ):
        _add(errors, "org_id", gettext("Choose an organisation at a level above the handling one."))
    if errors or org is None:
        return {}
    return _hand_over(case, org, changed)


def _receive(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    details = {"from_org": case.transfer_from.code if case.transfer_from else ""}
    case.transfer_from, case.transfer_return_status, case.assignee = None, "", None
    case.roster_mediator = None
    changed.update({"transfer_from", "transfer_return_status", "assignee", "roster_mediator"})
    return details


def _return(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    sender = case.transfer_from
    if sender is None:  # cannot happen through the executor; guards against hand-edited rows
        raise NotFound(gettext("The sender of this transfer is unknown."))
    details = {
        "org": sender.code,
        "restore_status": case.transfer_return_status or CaseStatus.ACCEPTED,
    }
    _set_handling(case, sender, changed)
    case.transfer_from, case.transfer_return_status = None, ""
    changed.update({"transfer_from", "transfer_return_status"})
    return details


def _choice(value: str, choices: Any, field_name: str, errors: Errors) -> None:
    if value and value not in choices.values:
        _add(errors, field_name, gettext("Choose a value from the list."))


def _agreement(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    _choice(action.agreement_form, AgreementForm, "agreement_form", errors)
    return {"agreement_form": action.agreement_form}


def _terminate(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    _choice(action.termination_reason, TerminationReason, "termination_reason", errors)
    return {
        "termination_reason": action.termination_reason,
        "referred_to": action.referred_to.strip(),
    }


def _merge(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    """并案: the primary must be another open case the actor may handle, not itself merged; it
    records the merge on its own timeline too."""
    number = action.merge_into.strip()
    if not number:
        return {}
    primary = (
        selectors.case_list_for(actor=actor)
        .select_for_update(of=("self",))
        .select_related("handling_org")
        .filter(number=number)
        .first()
    )
    if primary is None:
        _add(errors, "merge_into", gettext("No case with this number within your jurisdiction."))
    elif primary.pk == case.pk:
        _add(errors, "merge_into", gettext("A case cannot be merged into itself."))
    elif not primary.is_open or primary.merged_into_id is not None:
        _add(errors, "merge_into", gettext("The primary case must still be open."))
    elif not access.can(actor, Capability.CASE_ACCEPT, prefix=primary.handling_prefix):
        _add(errors, "merge_into", gettext("You cannot handle the primary case."))
    if errors or primary is None:
        return {}
    case.merged_into = primary
    changed.add("merged_into")
    _append_event(
        primary,
        actor=actor,
        kind=EventKind.MERGED,
        org=primary.handling_org,
        data={"merged": case.number, "channel": case.channel, "source_ref": case.source_ref},
    )
    primary.save(update_fields=["event_count", "ledger_head", "updated_at"])
    case_links_add(actor=actor, case=case, other=primary, kind=CaseLinkKind.DUPLICATE, score=1.0)
    return {"merged_into": primary.number}


def _parties_answer(action: ActionInput, errors: Errors) -> dict[str, Any]:
    """The parties' answer to mediation goes on the timeline; a clear refusal stops it
    (人民调解法 art.17; issue #14 item 4)."""
    consent = action.parties_consent
    if consent and consent not in PartiesConsent.values:
        _add(errors, "parties_consent", gettext("Choose a value from the list."))
    elif consent == PartiesConsent.REFUSED:
        _add(
            errors,
            "parties_consent",
            gettext(
                "A party clearly refuses mediation, so it may not be mediated (人民调解法 "
                "art.17): decline the case and tell them of other routes."
            ),
        )
    return {"parties_consent": consent}


def _decline(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    return {
        "referred_to": action.referred_to.strip(),
        **clocks.on_decline(case, clock.today()),
    }


def _accept(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    """受理: the parties' answer to mediation is recorded (art.17) and a limit that runs from
    acceptance (信访 60 days, art.34) starts today."""
    answer = _parties_answer(action, errors)
    if errors:
        return answer
    return {**answer, **clocks.on_accept(case, clock.today(), changed)}


def _reopen(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    previous_outcome = case.outcome  # the figures take back what the closed case had counted
    case.due_date = clocks.restart(case, clock.today())
    case.overdue_since = None
    changed.update({"due_date", "overdue_since"})
    return {"due_date": case.due_date, "previous_outcome": previous_outcome}


def _pause(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    case.deadline_paused_at = clock.now()
    changed.add("deadline_paused_at")
    return {"due_date": case.due_date}


def _resume(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    """Move the due date by the whole days the clock stood still (a part day counts as a day)."""
    paused_at = case.deadline_paused_at
    assert paused_at is not None  # noqa: S101  the guard ensures it
    assert case.due_date is not None  # noqa: S101  the pause guard ensured it
    paused_days = (clock.today() - timezone.localdate(paused_at)).days
    case.due_date = clocks.resume(case, paused_days)
    case.deadline_paused_at = None
    changed.update({"due_date", "deadline_paused_at"})
    if case.due_date >= clock.today():
        case.overdue_since = None
        changed.add("overdue_since")
    return {"paused_days": paused_days, "due_date": case.due_date}


def _later_deadline(case: Case, action: ActionInput, errors: Errors) -> bool:
    """An extension (granted or asked for) ends after the current deadline."""
    if (
        action.due_date is not None
        and case.due_date is not None
        and action.due_date <= case.due_date
    ):
        _add(errors, "due_date", gettext("The new deadline must be later than the current one."))
    return not errors and action.due_date is not None


def _statutory_extension(
    case: Case, action: ActionInput, errors: Errors, *, granting: bool
) -> tuple[CaseDeadline | None, int, dict[str, Any]]:
    assert action.due_date is not None  # noqa: S101  _later_deadline checked it
    return clocks.check_extension(
        case,
        new_due=action.due_date,
        approval_ref=action.approval_ref,
        consent_document=action.consent_document,
        errors=errors,
        granting=granting,
    )


def _extend(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    """延期: a statutory limit only by the law's own extension (信访: once, ≤ 30 days, approved;
    court: the parties' consent in writing, within the cap), with the reason in the note."""
    if not _later_deadline(case, action, errors):
        return {}
    handling, extra, lawful = _statutory_extension(case, action, errors, granting=True)
    if errors:
        return {}
    assert action.due_date is not None  # noqa: S101  _later_deadline checked it
    details: dict[str, Any] = {
        "from_due_date": case.due_date,
        "due_date": action.due_date,
        **lawful,
        **clocks.apply_extension(handling, extra, action.due_date),
    }
    if case.extension_requested_until is not None:  # granting the handler's request
        details["requested_until"] = case.extension_requested_until
        case.extension_requested_until = None
        changed.add("extension_requested_until")
    case.due_date, case.overdue_since = action.due_date, None
    changed.update({"due_date", "overdue_since"})
    return details


def _request_extension(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    """延期申请: recorded on the case and put before the leaders who may grant it; a statutory
    limit may only be asked to go as far as the law's own extension reaches."""
    if not _later_deadline(case, action, errors):
        return {}
    _statutory_extension(case, action, errors, granting=False)
    if errors:
        return {}
    case.extension_requested_until = action.due_date
    changed.add("extension_requested_until")
    return {"due_date": case.due_date, "requested_until": action.due_date}


def _refuse_extension(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str]
) -> dict[str, Any]:
    requested = case.extension_requested_until
    case.extension_requested_until = None
    changed.add("extension_requested_until")
    return {"requested_until": requested, "due_date": case.due_date}


def _petition_step(
    case: Case, action: ActionInput, actor: User, errors: Errors, changed: set[str], *, name: str
) -> dict[str, Any]:
    if errors:
        return {}
    return clocks.petition_step(case, name, clock.today())


_EFFECTS: dict[str, Effect] = {
    **{
        name: partial(_petition_step, name=name)
        for name in (
            Action.PETITION_OPINION,
            Action.PETITION_REVIEW_REQUEST,
            Action.PETITION_REVIEW_REPLY,
            Action.PETITION_REREVIEW_REQUEST,
            Action.PETITION_REREVIEW_REPLY,
        )
    },
    Action.ACCEPT: _accept,
    Action.ASSIGN: _assign,
    Action.TRANSFER: _transfer,
    Action.ESCALATE: _escalate,
    Action.ACCEPT_TRANSFER: _receive,
    Action.RETURN_TRANSFER: _return,
    Action.RECORD_AGREEMENT: _agreement,
    Action.TERMINATE: _terminate,
    Action.MERGE: _merge,
    Action.DECLINE: _decline,
    Action.REOPEN: _reopen,
    Action.PAUSE_DEADLINE: _pause,
    Action.RESUME_DEADLINE: _resume,
    Action.EXTEND_DEADLINE: _extend,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.REFUSE_EXTENSION: _refuse_extension,
}


@transaction.atomic
def case_record_event(
    *,
    actor: User,
    case_id: int,
    kind: str,
    data: dict[str, Any],
    scoped: bool = True,
) -> CaseEvent:
    """Append a typed event to a case's timeline for another app (a session held, a document
    generated, a 督办 issued…), under the case row lock so the chain stays ordered.

    ``scoped=False`` is for system jobs acting on any case; people always go through their scope.

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
    """
    if kind not in EventKind.values:
        raise ValueError(f"unknown event kind {kind!r}")
    if scoped:
        case = selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    else:
        found = (
            Case.objects.select_for_update(of=("self",))
            .select_related("handling_org")
            .filter(pk=case_id)
            .first()
        )
        if found is None:
            raise NotFound(gettext("Case not found."))
        case = found
    return case_event_append(actor=actor, case=case, kind=kind, data=data)


def case_event_append(*, actor: User, case: Case, kind: str, data: dict[str, Any]) -> CaseEvent:
    """Append a typed event to the timeline of a case the caller has already locked, in the
    caller's transaction, and checked the actor against (``selectors.case_get_for(lock=True)``):
    a mediation service locks its case to check that the actor may mediate it, and reading the
    case again for each record it appends (``case_record_event``) cost ``load_demo`` one locked
    read in three (issue #21). ``case`` is updated in memory, so more events may follow.

    A case object read before another service appended to the same case is stale: its next
    ``seq`` is taken, and the unique ``(case, seq)`` constraint refuses the event.

    Raises:
        ValueError: ``kind`` is no event kind.
    """
    if kind not in EventKind.values:
        raise ValueError(f"unknown event kind {kind!r}")
    event = _append_event(case, actor=actor, kind=kind, org=case.handling_org, data=data)
    case.save(update_fields=["event_count", "ledger_head", "updated_at"])
    return event


def case_links_add(
    *,
    actor: User,
    case: Case,
    other: Case,
    kind: str,
    score: float = 0.0,
    reasons: list[str] | None = None,
    automatic: bool = False,
) -> CaseLink | None:
    """Record that two cases are the same or a related dispute; the caller holds what it needs
    locked and appends the timeline events. Returns None when the pair was linked already."""
    low, high = sorted((case, other), key=lambda c: c.pk)
    link, created = CaseLink.objects.get_or_create(
        case=low,
        other=high,
        defaults={
            "kind": kind,
            "score": round(score, 3),
            "reasons": reasons or [],
            "automatic": automatic,
            "created_by": actor,
        },
    )
    if not created and link.kind != kind and kind == CaseLinkKind.DUPLICATE:
        link.kind = kind
        link.save(update_fields=["kind"])
    return link if created else None


def cases_mark_overdue(*, actor: User, today: date | None = None, batch: int = 500) -> int:
    """Mark open cases past their due date as overdue, once each, with a timeline event.

    Each case is locked and re-checked in its own short transaction, so the sweep never holds
    many locks and never races a transition. Returns how many cases it marked.
    """
    today = today or clock.today()
    marked = 0
    while True:
        ids = list(
            Case.objects.open()
            .filter(due_date__lt=today, overdue_since__isnull=True, deadline_paused_at__isnull=True)
            .order_by("due_date", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return marked
        for case_id in ids:
            marked += case_mark_overdue(actor=actor, case_id=case_id, today=today)


@transaction.atomic
def case_mark_overdue(*, actor: User, case_id: int, today: date) -> int:
    """Mark one case overdue if on ``today`` it is open, running and past its due date and not
    marked yet: the sweep's step for one case, locked and re-checked. The history import calls
    it at the moment a replayed case's deadline passed, so the mark is the one the sweep would
    have written then (issue #21 item 7). Returns 1 when it marked the case, else 0."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("handling_org").get(pk=case_id)
    )
    if (
        not case.is_open
        or case.overdue_since is not None
        or case.deadline_paused_at is not None
        or case.due_date is None
        or case.due_date >= today
    ):
        return 0
    case.overdue_since = clock.now()
    _append_event(
        case,
        actor=actor,
        kind=EventKind.MARKED_OVERDUE,
        org=case.handling_org,
        data={"due_date": case.due_date, "days_late": (today - case.due_date).days},
    )
    case.save(update_fields=["overdue_since", "event_count", "ledger_head", "updated_at"])
    record(actor=actor, action=AuditAction.CASE_MARKED_OVERDUE, target=case, org=case.handling_org)
    return 1


@transaction.atomic
def party_reveal(*, actor: User, case_id: int, party_id: int, reason: str) -> dict[str, str]:
    """The unmasked ID number, phone and address of one party, for a stated reason; audited.

    Raises:
        NotFound: the case or party is not visible to the actor.
        PermissionDeniedError: the actor may not unmask personal data for this case.
        InvalidInput: no reason was given.
    """
    case = selectors.case_get_for(actor=actor, case_id=case_id)
    party = Party.objects.filter(case=case, pk=party_id).first()
    if party is None:
        raise NotFound(gettext("Party not found."))
    access.require(actor, Capability.PII_UNMASK, prefix=case.handling_prefix)
    if not reason.strip():
        raise InvalidInput(
            gettext("Please give a reason."),
            errors={"reason": [gettext("This field is required.")]},
        )
    record(
        actor=actor,
        action=AuditAction.PARTY_PII_VIEWED,
        target=case,
        org=case.handling_org,
        extra={"party": party.pk, "reason": reason.strip()[:200]},
    )
    return party.reveal()
