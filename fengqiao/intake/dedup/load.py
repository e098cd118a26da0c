"""Put a labelled set into the database through the real registration service, and score every
pair the duplicate check proposes (bench/dedup_quality.py and the tests)."""

from django.db import transaction

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import membership_grant, system_actor
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.intake import duplicates
from fengqiao.intake.dedup.corpus import LabelledSet, load_regions
from fengqiao.intake.pipeline import register_dispute
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

LEVELS = {
    "province": RegionLevel.PROVINCE,
    "city": RegionLevel.CITY,
    "county": RegionLevel.COUNTY,
    "township": RegionLevel.TOWNSHIP,
    "village": RegionLevel.VILLAGE,
}


def ensure_regions() -> Region:
    """The divisions of 湘阴县 from the CSV (existing codes kept); returns the county."""
    rows, _villages = load_regions()
    known = {r.code: r for r in Region.objects.filter(code__in=[row[0] for row in rows])}
    for code, name, level, parent in rows:
        if code not in known:
            region = Region(code=code, name=name, level=LEVELS[level], parent=known.get(parent))
            region.save()
            known[code] = region
    return known["430624000000"]


def county_clerk() -> User:
    """A clerk of the county centre who may register and see every case of the county."""
    county = ensure_regions()
    org, _created = Organisation.objects.get_or_create(
        code="430624ZZ",
        defaults={"name": "湘阴县矛调中心", "kind": OrgKind.CENTRE, "region": county},
    )
    user, _created = User.objects.get_or_create(
        username="dedup_bench", defaults={"full_name": "查重测评"}
    )
    membership_grant(
        actor=system_actor(), user=user, role=Role.CENTRE_DIRECTOR, region=county, org=org
    )
    return user


def load(labelled: LabelledSet, actor: User) -> list[Case]:
    """Register every report in time order (the real service, API channels auto-linking as in
    production) and date it when the channel sent it."""
    org = Organisation.objects.get(code="430624ZZ")
    cases = []
    for report in labelled.reports:
        draft = CaseDraft(
            org_id=org.pk,
            title=report.title,
            description=report.description,
            channel=report.channel,
            category=report.category,
            region=report.region,
            source_ref=report.source_ref,
            parties=tuple(PartyDraft(**party) for party in report.parties),
        )
        with transaction.atomic():
            case = register_dispute(actor=actor, draft=draft).case
            Case.objects.filter(pk=case.pk).update(created_at=report.created_at)
            case.created_at = report.created_at
        cases.append(case)
    return cases


def scored_pairs(
    cases: list[Case], actor: User, *, floor: float = 0.3
) -> dict[tuple[int, int], float]:
    """Best score of every pair the check proposes, as index pairs into ``cases`` (earlier
    first), looking only backwards in time like a new intake does."""
    index = {case.pk: i for i, case in enumerate(cases)}
    pairs: dict[tuple[int, int], float] = {}
    for i, case in enumerate(cases):
        for candidate in duplicates.candidates_for_case(
            case, actor=actor, limit=20, floor=floor, exclude_linked=False
        ):
            j = index.get(candidate.case.pk)
            if j is None or j >= i:
                continue
            pairs[(j, i)] = max(pairs.get((j, i), 0.0), candidate.score)
    return pairs
