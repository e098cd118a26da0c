"""Where each ledger's rows come from: a query over the cases the filters chose (already scoped to
the viewer), the order of its rows, and what a chunk of rows needs added (parties' names). The page
and the export read the same source; the export streams it through one server-side cursor."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fengqiao.cases.models import Case
from fengqiao.dataio import case_ledgers, follow_up_ledger
from fengqiao.dataio.ledgers import Ledger

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class LedgerSource:
    ledger: Ledger
    rows: Callable[[QuerySet[Case]], QuerySet[Any]]  # ordered .values() rows
    enrich: Callable[[list[Row]], list[Row]] = lambda rows: rows


SOURCES: dict[str, LedgerSource] = {
    source.ledger.code: source
    for source in (
        LedgerSource(case_ledgers.REGISTRATION, case_ledgers.values, case_ledgers.with_parties),
        LedgerSource(case_ledgers.HANDLING, case_ledgers.values, case_ledgers.with_parties),
        LedgerSource(follow_up_ledger.FOLLOW_UPS, follow_up_ledger.follow_up_values),
    )
}


def page(source: LedgerSource, cases: QuerySet[Case], offset: int, limit: int) -> list[Row]:
    return source.enrich(list(source.rows(cases)[offset : offset + limit]))


def stream(source: LedgerSource, cases: QuerySet[Case], chunk: int = 2000) -> Iterator[Row]:
    """Every row, one query read through a server-side cursor, enriched per ``chunk`` rows."""
    batch: list[Row] = []
    for row in source.rows(cases).iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) == chunk:
            yield from source.enrich(batch)
            batch = []
    yield from source.enrich(batch)
