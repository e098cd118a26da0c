"""三源合一: recognise a dispute that reaches us again through another channel.

For a new dispute the candidates are the cases of the last ``FENGQIAO_DEDUP_WINDOW_DAYS`` days
(default 90) placed in the same township (first 9 digits of the place code) that the person
asking may see. The pool is built from indexed columns only, so one check stays fast at 10⁶ cases:

- parties with the same blind index of ID number or of the normalised phone (``Party`` indexes);
- the newest cases of the same township and category, and of the same village
  (``place_prefix`` + ``created_at`` index, capped);

then every pooled case is scored in Python: party evidence (same ID number, same phone, the same
or an almost-same name in the same village), the similarity of the descriptions (cosine of
Chinese character bigrams, boilerplate bigrams left out, so paraphrases and name typos still
score), the same place and the same category. Reasons are given in Chinese, e.g.
"同一身份证号；描述相似度 0.82".

Plain ID numbers and phones of a draft are only turned into their blind index here; they are
never stored or logged.
"""

import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.translation import get_language, gettext, gettext_noop

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import refdata
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import Channel, EventKind
from fengqiao.cases.models import Case, CaseLink, CaseLinkKind, Party
from fengqiao.cases.services import CaseDraft, case_links_add, case_record_event
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import InvalidInput, PermissionDeniedError
from fengqiao.notifications.services import notify_org

logger = logging.getLogger(__name__)

# Channels whose intakes are linked without a person looking first (a staff walk-in form shows
# the candidates to the clerk instead).
AUTO_LINK_CHANNELS = frozenset(
    {Channel.POLICE_110, Channel.HOTLINE_12345, Channel.PETITION, Channel.COURT, Channel.ONLINE}
)

# Weights of the evidence; the score is their sum, capped at 1.
# How sure each kind of evidence is that a party of the new dispute is a party of the old one.
ID_MATCH = 1.0
PHONE_MATCH = 0.9
NAME_VILLAGE = 0.7  # the same name in the same village
NAME_TOWNSHIP = 0.5  # the same name elsewhere in the township
NAME_SIMILAR = 0.5  # a one-character typo of a name of three or more characters
# The score: the best matched party, the next party (both sides of the dispute), the wording,
# the amounts, the place and the category; their weights add up to 1.
W_FIRST_PARTY = 0.35
W_SECOND_PARTY = 0.25
W_TEXT = 0.45
W_NUMBER = 0.15
W_PLACE = 0.05
W_CATEGORY = 0.05
TEXT_FLOOR = 0.15  # below this, descriptions share only chance bigrams: no text evidence

POOL_CATEGORY = 200  # newest cases of the same township and category
POOL_VILLAGE = 150  # newest cases of the same village, any category
POOL_TOWNSHIP = 150  # newest cases of the township, any category (another channel's category)
POOL_PARTY = 200
DESCRIPTION_CHARS = 400

# Words every dispute record uses; they say nothing about which dispute it is.
_BOILERPLATE = (
    "纠纷 发生 双方 要求 调解 村民 因为 由于 问题 矛盾 协商 处理 反映 申请 称其 其称 "
    "来电 来访 报警 诉求 请求 相关 部门 情况 目前 现在 一直 没有 无果 多次 进行 帮助 "
    "解决 当事 事人 该村 本村 镇村 争执 不下 产生 引发 之间 一起 对方 我们 他们 自己"
)
STOP_BIGRAMS = frozenset(_BOILERPLATE.split())
_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


@lru_cache(maxsize=64)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def _t(message: str) -> str:
    """``gettext`` remembered per language: the reasons are built for hundreds of candidates in
    one check."""
    return _translated(message, get_language())


def window_days() -> int:
    return int(getattr(settings, "FENGQIAO_DEDUP_WINDOW_DAYS", 90))


def auto_link_score() -> float:
    return float(getattr(settings, "FENGQIAO_DEDUP_AUTO_LINK_SCORE", 0.55))


def min_score() -> float:
    return float(getattr(settings, "FENGQIAO_DEDUP_MIN_SCORE", 0.3))


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the Chinese, digits and letters of ``text`` (punctuation and
    whitespace split runs), without boilerplate."""
    grams: set[str] = set()
    for run in _KEEP.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams - STOP_BIGRAMS)


def text_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine similarity of two bigram sets (0..1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def names_similar(a: str, b: str) -> bool:
    """Same surname and length, one other character different (张建国 / 张建囯, 李秀英 / 李秀莹)."""
    if len(a) != len(b) or len(a) < 2 or a == b or a[0] != b[0]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


@dataclass(frozen=True, slots=True)
class ProbeParty:
    name: str
    id_index: str = ""
    phone_index: str = ""
    village: str = ""  # 12-digit code of the residence village, when known


@dataclass(frozen=True, slots=True)
class Probe:
    """What the check compares: the new dispute, saved or not."""

    description: str
    region_code: str  # 12 digits
    category: str  # code
    parties: tuple[ProbeParty, ...]
    since: datetime
    case_id: int | None = None


@dataclass(slots=True)
class Candidate:
    case: Case
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def _village(code: str) -> str:
    """The village code of a 12-digit place or residence code ("" for a township or above)."""
    return code if len(code) == 12 and not code.endswith("000") else ""


def _probe_for_case(case: Case) -> Probe:
    parties = tuple(
        ProbeParty(
            name=p.name,
            id_index=p.id_number_index,
            phone_index=p.phone_index,
            village=_village(p.region.code) if p.region else "",
        )
        for p in case.parties.select_related("region")
    )
    return Probe(
        description=f"{case.title} {case.description}",
        region_code=case.region.code,
        category=case.category.code,
        parties=parties,
        since=case.created_at - timedelta(days=window_days()),
        case_id=case.pk,
    )


def probe_for_draft(draft: CaseDraft) -> Probe:
    """A probe from a register form or API draft; plain identifiers become blind indexes here."""
    parties = tuple(
        ProbeParty(
            name=p.name.strip(),
            id_index=crypto.blind_index(
                crypto.normalise_id_number(p.id_number), context="id_number"
            ),
            phone_index=crypto.blind_index(crypto.normalise_phone(p.phone), context="phone"),
            village=_village(p.region.strip()),
        )
        for p in draft.parties
        if p.name.strip() or p.id_number or p.phone
    )
    return Probe(
        description=f"{draft.title} {draft.description}",
        region_code=draft.region.strip(),
        category=draft.category,
        parties=parties,
        since=clock.now() - timedelta(days=window_days()),
    )


def _pool(probe: Probe, scope: Q) -> tuple[set[int], dict[int, set[tuple[str, int, str]]]]:
    """Ids of the cases worth scoring, and per case the identifiers its parties share with the
    probe: ("id" or "phone", index of the probe's party, name of the matching party)."""
    township = probe.region_code[:9]
    village = _village(probe.region_code)
    window = Q(place_prefix__startswith=township, created_at__gte=probe.since)
    base = Case.objects.filter(scope, window, merged_into__isnull=True)
    if probe.case_id is not None:
        base = base.exclude(pk=probe.case_id)
    ids: set[int] = set()
    shared: dict[int, set[tuple[str, int, str]]] = {}
    by_id = {p.id_index: i for i, p in reversed(list(enumerate(probe.parties))) if p.id_index}
    by_phone = {
        p.phone_index: i for i, p in reversed(list(enumerate(probe.parties))) if p.phone_index
    }
    if by_id or by_phone:
        condition = Q(pk__in=[])
        if by_id:
            condition |= Q(id_number_index__in=list(by_id))
        if by_phone:
            condition |= Q(phone_index__in=list(by_phone))
        hits = list(
            Party.objects.filter(condition).values_list(
                "case_id", "id_number_index", "phone_index", "name"
            )[:POOL_PARTY]
        )
        in_window = set(base.filter(pk__in={h[0] for h in hits}).values_list("pk", flat=True))
        for case_id, id_index, phone_index, name in hits:
            if case_id not in in_window:
                continue
            ids.add(case_id)
            if id_index in by_id:
                shared.setdefault(case_id, set()).add(("id", by_id[id_index], name))
            if phone_index in by_phone:
                shared.setdefault(case_id, set()).add(("phone", by_phone[phone_index], name))
    category = refdata.categories().by_code.get(probe.category) if probe.category else None
    category_id = category.pk if category else None
    newest = []
    if category_id is not None:
        newest.append(base.filter(category_id=category_id).order_by("-created_at")[:POOL_CATEGORY])
    newest.append(base.order_by("-created_at")[:POOL_TOWNSHIP])
    if village:
        newest.append(
            Case.objects.filter(
                scope, place_prefix=village, created_at__gte=probe.since, merged_into__isnull=True
            )
            .exclude(pk=probe.case_id or 0)
            .order_by("-created_at")[:POOL_VILLAGE]
        )
    pools = [query.values_list("pk", flat=True) for query in newest]
    if connection.features.supports_slicing_ordering_in_compound:
        # One round trip instead of three (PostgreSQL); each part keeps its own order and cap.
        ids.update(pools[0].union(*pools[1:], all=True))
    else:
        for pool in pools:
            ids.update(pool)
    return ids, shared


def numbers(text: str) -> frozenset[str]:
    """Amounts and other numbers of three digits or more (¥274100, 11亩 is too short)."""
    return frozenset(n for n in re.findall(r"\d{3,}", text) if not n.startswith("20"))


def _party_matches(
    probe: Probe,
    names: list[tuple[str, str]],
    shared: set[tuple[str, int, str]],
    case_village: str,
) -> tuple[list[float], list[str]]:
    """Per party of the probe, how surely it appears in the other case; and the reasons."""
    reasons: list[str] = []
    strengths = [0.0] * len(probe.parties)
    probe_village = _village(probe.region_code)
    kinds = {kind for kind, _i, _name in shared}
    identified: set[int] = set()
    matched_names: set[str] = set()
    for kind, i, name in shared:
        strengths[i] = max(strengths[i], ID_MATCH if kind == "id" else PHONE_MATCH)
        identified.add(i)
        matched_names.add(name)
    if "id" in kinds:
        reasons.append(_t(gettext_noop("same ID number")))
    if "phone" in kinds:
        reasons.append(_t(gettext_noop("same phone number")))
    same, similar = [], []
    used = {j for j, (name, _r) in enumerate(names) if name in matched_names}
    for i, party in enumerate(probe.parties):
        if not party.name or i in identified:
            continue
        for j, (name, residence) in enumerate(names):
            if j in used:
                continue
            villages = {v for v in (party.village, probe_village) if v}
            theirs = {v for v in (_village(residence), case_village) if v}
            if name == party.name:
                strength = NAME_VILLAGE if villages & theirs else NAME_TOWNSHIP
                same.append(name)
            elif len(name) >= 3 and names_similar(name, party.name):
                strength = NAME_SIMILAR
                similar.append(f"{party.name}/{name}")
            else:
                continue
            used.add(j)
            strengths[i] = max(strengths[i], strength)
            break
    if same:
        reasons.append(_t(gettext_noop("same name: %(names)s")) % {"names": "、".join(same)})
    if similar:
        reasons.append(_t(gettext_noop("similar name: %(names)s")) % {"names": "、".join(similar)})
    return strengths, reasons


def _score(
    probe: Probe,
    probe_grams: frozenset[str],
    probe_numbers: frozenset[str],
    row: dict[str, Any],
    names: list[tuple[str, str]],
    shared: set[tuple[str, int, str]],
) -> tuple[float, list[str]]:
    text = f"{row['title']} {row['text']}"
    strengths, reasons = _party_matches(probe, names, shared, _village(row["region__code"]))
    strengths.sort(reverse=True)
    first, second = [*strengths, 0.0, 0.0][:2]
    score = W_FIRST_PARTY * first + W_SECOND_PARTY * second
    similarity = text_similarity(probe_grams, bigrams(text))
    if similarity >= TEXT_FLOOR:
        score += W_TEXT * similarity
        reasons.append(
            _t(gettext_noop("description similarity %(value).2f")) % {"value": similarity}
        )
    same_numbers = probe_numbers & numbers(text)
    if same_numbers:
        score += W_NUMBER
        reasons.append(
            _t(gettext_noop("same figures: %(numbers)s"))
            % {"numbers": "、".join(sorted(same_numbers))}
        )
    if row["region__code"] == probe.region_code:
        score += W_PLACE
        reasons.append(_t(gettext_noop("same place")))
    if row["category__code"] == probe.category:
        score += W_CATEGORY
        reasons.append(_t(gettext_noop("same category")))
    return min(1.0, score), reasons


def _candidates(probe: Probe, scope: Q, *, limit: int, floor: float) -> list[Candidate]:
    if len(probe.region_code) != 12 or not probe.region_code.isdigit():
        return []
    ids, shared = _pool(probe, scope)
    if not ids:
        return []
    rows = list(
        Case.objects.filter(pk__in=ids)
        .annotate(text=Substr("description", 1, DESCRIPTION_CHARS))
        .values("pk", "title", "text", "region__code", "category__code")
    )
    names: dict[int, list[tuple[str, str]]] = {}
    if any(p.name for p in probe.parties):
        for case_id, name, residence in Party.objects.filter(case_id__in=ids).values_list(
            "case_id", "name", "region__code"
        ):
            names.setdefault(case_id, []).append((name, residence or ""))
    probe_grams = bigrams(probe.description)
    probe_numbers = numbers(probe.description)
    scored: list[tuple[float, int, list[str]]] = []
    for row in rows:
        score, reasons = _score(
            probe,
            probe_grams,
            probe_numbers,
            row,
            names.get(row["pk"], []),
            shared.get(row["pk"], set()),
        )
        if score >= floor:
            scored.append((score, row["pk"], reasons))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    scored = scored[:limit]
    cases = Case.objects.select_related("category", "region", "handling_org").in_bulk(
        [pk for _s, pk, _r in scored]
    )
    return [Candidate(case=cases[pk], score=round(s, 3), reasons=r) for s, pk, r in scored]


def _scope_q(actor: User) -> Q:
    """The actor's jurisdiction as a condition on ``Case`` (what ``Case.objects.within`` does)."""
    return access.within(actor, Capability.CASE_VIEW, "handling_prefix", "place_prefix")


def candidates_for_case(
    case: Case,
    *,
    actor: User,
    limit: int = 10,
    floor: float | None = None,
    exclude_linked: bool = True,
) -> list[Candidate]:
    """Possible duplicates of a saved case that ``actor`` may see, best first; merged cases and
    (unless ``exclude_linked`` is false) cases already linked to it are left out."""
    known: set[int] = set()
    if exclude_linked:
        linked = CaseLink.objects.filter(Q(case=case) | Q(other=case))
        known = {pk for pair in linked.values_list("case_id", "other_id") for pk in pair}
    found = _candidates(
        _probe_for_case(case),
        _scope_q(actor),
        limit=limit + len(known),
        floor=min_score() if floor is None else floor,
    )
    return [c for c in found if c.case.pk not in known][:limit]


@dataclass(frozen=True, slots=True)
class Linked:
    """A case already linked to this one (by a person or automatically), as the panel lists it."""

    case: Case
    link: CaseLink

    @property
    def reason_text(self) -> str:
        return "；".join(str(r) for r in self.link.reasons)


def links_for_case(case: Case, *, actor: User) -> list[Linked]:
    """Cases linked to ``case`` that ``actor`` may see, newest link first: the panel shows them
    as linked instead of leaving them out (issue #21: an auto-linked 110 case was invisible)."""
    links = list(CaseLink.objects.filter(Q(case=case) | Q(other=case)))
    other_ids = {link.other_id if link.case_id == case.pk else link.case_id for link in links}
    visible = Case.objects.filter(_scope_q(actor), pk__in=other_ids).select_related(
        "category", "region", "handling_org"
    )
    by_id = {c.pk: c for c in visible}
    return [
        Linked(case=by_id[other], link=link)
        for link in links
        if (other := link.other_id if link.case_id == case.pk else link.case_id) in by_id
    ]


def candidates_for_draft(
    draft: CaseDraft, *, actor: User, limit: int = 10, floor: float | None = None
) -> list[Candidate]:
    """Possible duplicates of a dispute being registered (the register form, before saving)."""
    return _candidates(
        probe_for_draft(draft),
        _scope_q(actor),
        limit=limit,
        floor=min_score() if floor is None else floor,
    )


def _link_note(other: Case, candidate_reasons: Iterable[str], automatic: bool) -> str:
    reasons = "；".join(candidate_reasons)
    if automatic:
        return gettext("Linked automatically to %(number)s: %(reasons)s") % {
            "number": other.number,
            "reasons": reasons,
        }
    return gettext("Linked to %(number)s: %(reasons)s") % {
        "number": other.number,
        "reasons": reasons,
    }


def record_link(
    *,
    actor: User,
    case: Case,
    other: Case,
    score: float,
    reasons: list[str],
    automatic: bool,
    scoped: bool,
) -> CaseLink | None:
    """Store the link once and put a LINKED event on both timelines (inside the caller's
    transaction). Returns None when the pair was linked already."""
    link = case_links_add(
        actor=actor,
        case=case,
        other=other,
        kind=CaseLinkKind.RELATED,
        score=score,
        reasons=reasons,
        automatic=automatic,
    )
    if link is None:
        return None
    for this, that in ((case, other), (other, case)):
        case_record_event(
            actor=actor,
            case_id=this.pk,
            kind=EventKind.LINKED,
            data={
                "linked": that.number,
                "score": round(score, 3),
                "reasons": reasons,
                "automatic": automatic,
                "note": _link_note(that, reasons, automatic),
            },
            scoped=scoped,
        )
    record(
        actor=actor,
        action=AuditAction.CASE_LINKED,
        target=case,
        org=case.handling_org,
        extra={"other": other.number, "score": round(score, 3), "automatic": automatic},
    )
    return link


def auto_link(case: Case, actor: User) -> list[CaseLink]:
    """Link ``case`` to every candidate at or above FENGQIAO_DEDUP_AUTO_LINK_SCORE (searched
    within the registering actor's jurisdiction) and tell the handling unit after commit."""
    links: list[CaseLink] = []
    for candidate in candidates_for_case(case, actor=actor, floor=auto_link_score()):
        link = record_link(
            actor=actor,
            case=case,
            other=candidate.case,
            score=candidate.score,
            reasons=candidate.reasons,
            automatic=True,
            scoped=False,
        )
        if link is not None:
            links.append(link)
    if links and clock.imported() is None:  # a ledger's past is linked, not announced
        numbers = [c.number for c in Case.objects.filter(pk__in=_others(case, links))]
        transaction.on_commit(lambda: _notify(case, numbers))
    return links


def pair_candidate(case: Case, other: Case) -> Candidate:
    """Score one pair, whatever its score (for a link a person asks for)."""
    probe = _probe_for_case(case)
    row = (
        Case.objects.filter(pk=other.pk)
        .annotate(text=Substr("description", 1, DESCRIPTION_CHARS))
        .values("pk", "title", "text", "region__code", "category__code")
        .get()
    )
    by_id = {p.id_index: i for i, p in enumerate(probe.parties) if p.id_index}
    by_phone = {p.phone_index: i for i, p in enumerate(probe.parties) if p.phone_index}
    shared: set[tuple[str, int, str]] = set()
    names: list[tuple[str, str]] = []
    for name, id_index, phone_index, residence in Party.objects.filter(case=other).values_list(
        "name", "id_number_index", "phone_index", "region__code"
    ):
        names.append((name, residence or ""))
        if id_index in by_id:
            shared.add(("id", by_id[id_index], name))
        if phone_index in by_phone:
            shared.add(("phone", by_phone[phone_index], name))
    score, reasons = _score(
        probe, bigrams(probe.description), numbers(probe.description), row, names, shared
    )
    return Candidate(case=other, score=round(score, 3), reasons=reasons)


@transaction.atomic
def case_link_duplicate(*, actor: User, case_id: int, other_id: int) -> CaseLink | None:
    """关联: a person links two cases recognised as the same dispute from different channels.

    Both cases must be within the actor's sight and the actor must be allowed to accept cases
    at the handling organisation of ``case_id``.

    Raises:
        NotFound: either case is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not accept cases at the handling organisation.
        InvalidInput: the two are the same case.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    other = case_selectors.case_get_for(actor=actor, case_id=other_id, lock=True)
    if not access.can(actor, Capability.CASE_ACCEPT, prefix=case.handling_prefix):
        raise PermissionDeniedError(
            gettext("Only staff who accept cases at the handling organisation can link it.")
        )
    if case.pk == other.pk:
        raise InvalidInput(
            gettext("A case cannot be linked to itself."),
            errors={"other": [gettext("A case cannot be linked to itself.")]},
        )
    candidate = pair_candidate(case, other)
    return record_link(
        actor=actor,
        case=case,
        other=other,
        score=candidate.score,
        reasons=candidate.reasons,
        automatic=False,
        scoped=True,
    )


def _others(case: Case, links: list[CaseLink]) -> list[int]:
    return [link.other_id if link.case_id == case.pk else link.case_id for link in links]


def link_new_case(case: Case, actor: User) -> None:
    """The intake path's linking step (``intake.pipeline``): API channels link at once, staff
    forms do not (a person looks at the candidates on the case page)."""
    if case.channel in AUTO_LINK_CHANNELS:
        auto_link(case, actor)


def _notify(case: Case, numbers: list[str]) -> None:
    """Tell the handling unit that its new case was linked to an earlier record."""
    notify_org(
        org=case.handling_org,
        title=gettext("Possible duplicate: %(number)s") % {"number": case.number},
        body=gettext("Case %(number)s was linked automatically to %(others)s.")
        % {"number": case.number, "others": "、".join(numbers)},
        case=case,
        kind="case_linked",
    )


def connect() -> None:
    """Called once from ``IntakeConfig.ready()``: the case panel."""
    from django.utils.translation import gettext_lazy

    from fengqiao.cases import panels

    panels.register(
        panels.CasePanel(
            key="duplicates",
            title=gettext_lazy("Possible duplicates"),
            url_name="intake:duplicates",
            order=6,
        )
    )
