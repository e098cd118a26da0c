"""File numbers "（2026）X人调字第N号": per issuing body, per year, per series; race-free and never
reused (issue #14 item 2: five "（2026）人调字第00004号" in one committee, because the number was
read off case numbers of other units).

Called inside the caller's transaction: the counter row is locked (``select_for_update``), so
concurrent writers queue on it; the number row's uniqueness constraints back that in the
database.
"""

from datetime import date

from django.db import transaction

from fengqiao.cases.choices import Action
from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.mediation.choices import NUMBER_WORDS, NumberKind
from fengqiao.mediation.models import FileNumber, NumberCounter
from fengqiao.mediation.seals import is_administrative, sealing_body
from fengqiao.orgs.models import Organisation


def number_text(org: Organisation, year: int, kind: str, sequence: int) -> str:
    return f"（{year}）{org.number_prefix}{NUMBER_WORDS[kind]}第{sequence}号"


def series_for(org: Organisation) -> str:
    return NumberKind.ADMINISTRATIVE if is_administrative(org) else NumberKind.PEOPLES


def _next_sequence(org: Organisation, year: int, kind: str) -> int:
    counters = NumberCounter.objects.select_for_update()
    counter = counters.filter(org=org, year=year, kind=kind).first()  # read once, locked
    if counter is None:  # the body's first number of the year (get_or_create settles a race)
        created, _new = NumberCounter.objects.get_or_create(org=org, year=year, kind=kind)
        counter = counters.get(pk=created.pk)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def file_number_current(case: Case) -> FileNumber | None:
    """The number the case's file carries now: the one its sealing body gave it, if any."""
    body = sealing_body(case)
    if body is None:
        return None
    return FileNumber.objects.filter(case=case, org=body, kind=series_for(body)).first()


@transaction.atomic
def file_number_issue(*, case: Case, on: date) -> FileNumber | None:
    """The case's file number from its sealing body, issued now if it has none from that body
    (a case mediated again by the same body keeps its number). None when no body may seal."""
    body = sealing_body(case)
    if body is None:
        return None
    kind = series_for(body)
    existing = FileNumber.objects.filter(case=case, org=body, kind=kind).first()
    if existing is not None:
        return existing
    sequence = _next_sequence(body, on.year, kind)
    return FileNumber.objects.create(
        case=case,
        org=body,
        year=on.year,
        kind=kind,
        sequence=sequence,
        text=number_text(body, on.year, kind, sequence),
    )


def issue_on_start(case: Case, transition: str, action: object, actor: object) -> None:
    """After ``start_mediation`` (``cases.hooks.on_transition``): the file gets its number when
    the body that mediates it takes it up, so every paper of the mediation carries it."""
    if transition == Action.START_MEDIATION:
        file_number_issue(case=case, on=clock.today())
