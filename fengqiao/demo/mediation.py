"""Demo mediation work: a roster entry for every demo mediator login, and for a few cases in
mediation the steps of a real one — rights notified, a session, an investigation, then an
agreement in force with its 回访, or a failure with its undisputed facts and a referral."""

import random
from collections.abc import Iterable
from datetime import timedelta

from fengqiao.accounts.access import can
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, Role
from fengqiao.cases.choices import Action, AgreementForm, CaseStatus, TerminationReason
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core import clock
from fengqiao.mediation import services
from fengqiao.mediation.choices import ReferralChannel, SessionMode, SignatureRole
from fengqiao.orgs.models import Mediator, MediatorKind


def _roster() -> list[Mediator]:
    entries = []
    memberships = Membership.objects.filter(role=Role.MEDIATOR, is_active=True).select_related(
        "user", "org", "region"
    )
    for membership in memberships:
        entry, _created = Mediator.objects.get_or_create(
            user=membership.user,
            defaults={
                "name": membership.user.full_name or membership.user.username,
                "kind": MediatorKind.PART_TIME,
                "org": membership.org,
                "area_prefix": membership.region.code.rstrip("0")[:12],
                "specialties": ["neighbour", "housing_homestead", "marriage_family"],
                "dialects": "湘阴话",
            },
        )
        entries.append(entry)
    return entries


def _mediator_for(case: Case) -> User | None:
    candidates = [case.assignee] if case.assignee_id else []
    candidates += [
        m.user
        for m in Membership.objects.filter(is_active=True, org=case.handling_org).select_related(
            "user"
        )
    ]
    for user in candidates:
        if user is not None and can(user, Capability.CASE_MEDIATE, prefix=case.handling_prefix):
            return user
    return None


def _start(actor: User, case: Case, roster: list[Mediator], rng: random.Random) -> None:
    today = clock.today()
    for party in case.parties.all():
        services.rights_notify(
            actor=actor, case_id=case.pk, party_id=party.pk, notified_on=today, acknowledged=True
        )
    services.investigation_record(
        actor=actor,
        case_id=case.pk,
        investigated_on=today,
        investigators=actor.full_name or actor.username,
        subject="现场查看及走访邻居",
        record_text="到现场查看争议位置，走访两户邻居，双方陈述与现场情况基本一致。",
        place=case.address or "纠纷发生地",
    )
    nearby = [m.pk for m in roster if m.org_id == case.handling_org_id][:2]
    if not nearby:  # a session is presided over by a mediator (issue #14)
        nearby = [_entry(actor, case).pk]
    services.session_record(
        actor=actor,
        case_id=case.pk,
        held_at=clock.now() - timedelta(hours=rng.randint(2, 48)),
        mode=SessionMode.IN_PERSON,
        place=f"{case.handling_org.name}调解室",
        mediator_ids=nearby,
        attendees="、".join(p.name for p in case.parties.all()),
        invitees="村民小组长",
        invitees_consented=True,
        record_text="调解员告知双方权利义务后，双方分别陈述诉求，调解员释法说理，双方同意协商。",
    )


def _agree(actor: User, case: Case, *, fire: bool = True) -> None:
    today = clock.today()
    parties = list(case.parties.all())
    agreement = services.agreement_save(
        actor=actor,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        facts=case.description[:500],
        issues=case.title,
        responsibilities="双方均有过错，被申请人负主要责任",
        terms=[
            services.TermDraft(
                content="被申请人向申请人支付补偿款2000元",
                obligor=parties[-1].name if parties else "",
                manner="现金或银行转账",
                place=case.handling_org.name,
                due_on=today + timedelta(days=30),
            )
        ],
    )
    for party in parties:
        services.agreement_sign(
            actor=actor,
            agreement_id=agreement.pk,
            role=SignatureRole.PARTY,
            party_id=party.pk,
            signed_on=today,
        )
    services.agreement_sign(
        actor=actor,
        agreement_id=agreement.pk,
        role=SignatureRole.MEDIATOR,
        signer_name=actor.full_name or actor.username,
        signed_on=today,
    )
    services.agreement_sign(
        actor=actor, agreement_id=agreement.pk, role=SignatureRole.SEAL, signed_on=today
    )
    services.agreement_make_effective(
        actor=actor, agreement_id=agreement.pk, note="达成书面协议", fire=fire
    )


def _entry(actor: User, case: Case) -> Mediator:
    """The actor's roster entry, made as ``_roster`` makes it when missing."""
    entry, _created = Mediator.objects.get_or_create(
        user=actor,
        defaults={
            "name": actor.full_name or actor.username,
            "kind": MediatorKind.PART_TIME,
            "org": case.handling_org,
            "specialties": ["neighbour", "housing_homestead", "marriage_family"],
            "dialects": "湘阴话",
        },
    )
    return entry


def _prepare(actor: User, case: Case) -> None:
    """What an agreement comes out of: every party told their rights and duties, and a session
    the actor presided over (若干规定 art.30; issue #14)."""
    today = clock.today()
    entry = _entry(actor, case)
    parties = list(case.parties.all())
    for party in parties:
        services.rights_notify(
            actor=actor, case_id=case.pk, party_id=party.pk, notified_on=today, acknowledged=True
        )
    if not case.sessions.exists():
        services.session_record(
            actor=actor,
            case_id=case.pk,
            held_at=clock.now(),
            mode=SessionMode.IN_PERSON,
            place=f"{case.handling_org.name}调解室",
            mediator_ids=[entry.pk],
            attendees="、".join(p.name for p in parties),
            record_text="调解员告知双方权利义务后，双方分别陈述，经释法说理，双方同意协商解决。",
        )


def prepare_agreement(case: Case, actor: User) -> None:
    """The demo's preparer for ``record_agreement`` (``demo.steps.PREPARERS``): the
    notices and the session, then the written agreement the action needs, signed and in force
    (人民调解法 art.29), unless one is."""
    if not case.agreements.filter(effective_on__isnull=False).exists():
        _prepare(actor, case)
        _agree(actor, case, fire=False)


def _fail(actor: User, case: Case) -> None:
    today = clock.today()
    services.failure_record(
        actor=actor,
        case_id=case.pk,
        other_routes="已告知双方可向人民法院起诉或申请仲裁",
        routes_notified_on=today,
        undisputed_facts="双方确认争议发生的时间、地点及损失金额",
        confirmed_party_ids=list(case.parties.values_list("pk", flat=True)),
    )
    case_transition(
        actor=actor,
        case_id=case.pk,
        name=Action.TERMINATE,
        action=ActionInput(
            termination_reason=TerminationReason.TOO_FAR_APART, note="双方分歧过大，调解不成"
        ),
    )
    services.referral_record(
        actor=actor,
        case_id=case.pk,
        channel=ReferralChannel.LITIGATION,
        body="湘阴县人民法院",
        referred_on=today,
    )


def load_mediation_demo(cases: Iterable[Case], rng: random.Random | None = None) -> list[str]:
    """Mediation work for the given cases in MEDIATING (others are skipped): the first stays in
    mediation with its records, the second reaches an agreement in force, the third fails."""
    rng = rng or random.Random(7)  # noqa: S311  reproducible demo data
    roster = _roster()
    done = {"started": 0, "agreed": 0, "failed": 0}
    for index, case in enumerate(c for c in cases if c.status == CaseStatus.MEDIATING):
        actor = _mediator_for(case)
        if actor is None or case.sessions.exists():
            continue
        _start(actor, case, roster, rng)
        if index % 3 == 1:
            _agree(actor, case)
            done["agreed"] += 1
        elif index % 3 == 2:
            _fail(actor, case)
            done["failed"] += 1
        else:
            done["started"] += 1
    return [
        f"调解员名册 {len(roster)} 人；调解记录：进行中 {done['started']} 件，"
        f"达成协议 {done['agreed']} 件，调解终止 {done['failed']} 件"
    ]


def demo_step(actor: User, rng: random.Random) -> list[str]:
    """The demo loader's step (``demo.steps.STEPS``): six cases in mediation."""
    cases = Case.objects.filter(status=CaseStatus.MEDIATING).order_by("pk")[:6]
    return load_mediation_demo(list(cases), rng)
