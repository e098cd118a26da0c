"""Where each ledger's rows come from: the filter form and the records it chose (already scoped to
the viewer: cases for most ledgers, 排查 entries or 督办 notices for others), the order of its
rows, and what a chunk of rows needs added (parties' names). The page and the export read the
same source; the export streams it through one server-side cursor."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from fengqiao.accounts.models import User
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.filters import CaseFilterForm
from fengqiao.core.db import planned_for_every_row
from fengqiao.dataio import case_ledgers, follow_up_ledger, patrol_ledger, supervision_ledger
from fengqiao.dataio.ledgers import Ledger

Row = dict[str, Any]
# The filter form bound to the query string, and the records it selects for the viewer (None
# when the form is invalid).
Select = Callable[[QueryDict | None, User], tuple[forms.Form, QuerySet[Any] | None]]


def case_select(data: QueryDict | None, actor: User) -> tuple[forms.Form, QuerySet[Any] | None]:
    """The case list's filters: the cases the viewer may see, narrowed."""
    form = CaseFilterForm(data or None, actor=actor)
    if form.is_bound and not form.is_valid():
        return form, None
    filters = form.to_filters() if form.is_bound else None
    return form, case_selectors.case_list_for(actor=actor, filters=filters)


@dataclass(frozen=True, slots=True)
class LedgerSource:
    ledger: Ledger
    rows: Callable[[QuerySet[Any]], QuerySet[Any]]  # ordered .values() rows of the selection
    enrich: Callable[[list[Row]], list[Row]] = lambda rows: rows
    select: Select = case_select


SOURCES: dict[str, LedgerSource] = {
    source.ledger.code: source
    for source in (
        LedgerSource(case_ledgers.REGISTRATION, case_ledgers.values, case_ledgers.with_parties),
        LedgerSource(case_ledgers.HANDLING, case_ledgers.values, case_ledgers.with_parties),
        LedgerSource(follow_up_ledger.FOLLOW_UPS, follow_up_ledger.follow_up_values),
        LedgerSource(
            patrol_ledger.PATROLS, patrol_ledger.entry_values, select=patrol_ledger.entry_select
        ),
        LedgerSource(supervision_ledger.SUPERVISION, supervision_ledger.notice_values),
    )
}


def stream(source: LedgerSource, chosen: QuerySet[Any], chunk: int = 2000) -> Iterator[Row]:
    """Every row, one query read through a server-side cursor planned for reading it all,
    enriched per ``chunk`` rows."""
    batch: list[Row] = []
    rows = source.rows(chosen)
    with planned_for_every_row(using=rows.db):
        for row in rows.iterator(chunk_size=chunk):
            batch.append(row)
            if len(batch) == chunk:
                yield from source.enrich(batch)
                batch = []
    yield from source.enrich(batch)
