"""The shipped legal library: article texts in ``data/articles.txt`` (each becomes a 法律法规 entry
and a 政策问答 entry) and example typical cases in ``data/cases.txt``. Loaded once, idempotently,
by code, in one bulk insert (the demo and a fresh deployment both use it)."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.models import DisputeCategory
from fengqiao.core import clock
from fengqiao.knowledge.choices import EntryKind, EntryStatus, Visibility
from fengqiao.knowledge.models import Entry

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True, slots=True)
class Article:
    category: str
    law_name: str
    article_no: str
    title: str
    question: str
    text: str

    @property
    def code(self) -> str:
        return law_code(self.law_name, self.article_no)


def law_code(law_name: str, article_no: str) -> str:
    """The stable code of an article: trees and cases refer to articles by it."""
    return f"law:{law_name}:{article_no}"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [
        [part.strip() for part in line.split("|")]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def articles() -> list[Article]:
    return [Article(*row) for row in _rows("articles.txt")]


def _cited(spec: str) -> list[str]:
    """ "法律:条,条;法律:条" → article codes."""
    codes = []
    for part in spec.split(";"):
        law_name, _, numbers = part.partition(":")
        codes += [law_code(law_name.strip(), n.strip()) for n in numbers.split(",") if n.strip()]
    return codes


def _short(law_name: str) -> str:
    return law_name.removeprefix("中华人民共和国")


@transaction.atomic
def library_load(*, actor: User) -> int:
    """Insert every shipped entry not yet present; returns how many were added."""
    categories = {c.code: c for c in DisputeCategory.objects.all()}
    have = set(Entry.objects.values_list("code", flat=True))
    now = clock.now()
    by_code = {a.code: a for a in articles()}
    new: list[Entry] = []

    def add(**values: object) -> None:
        if values["code"] not in have:
            have.add(str(values["code"]))
            new.append(
                Entry(
                    status=EntryStatus.PUBLISHED,
                    visibility=Visibility.PUBLIC,
                    created_by=actor,
                    reviewed_by=actor,
                    published_at=now,
                    **values,
                )
            )

    for a in by_code.values():
        category = categories.get(a.category)
        add(
            code=a.code,
            kind=EntryKind.LAW,
            title=a.title,
            law_name=a.law_name,
            article_no=a.article_no,
            body=a.text,
            category=category,
        )
        add(
            code="qa:" + a.code.removeprefix("law:"),
            kind=EntryKind.QA,
            title=a.question + "？",
            body=f"《{a.law_name}》{a.article_no}规定：{a.text}",
            law_name=a.law_name,
            article_no=a.article_no,
            category=category,
        )
    for n, (category_code, title, story, spec) in enumerate(_rows("cases.txt"), start=1):
        cited = [by_code[c] for c in _cited(spec) if c in by_code]
        basis = "、".join(f"《{_short(a.law_name)}》{a.article_no}" for a in cited)
        add(
            code=f"example:{n}",
            kind=EntryKind.CASE,
            title=title,
            body=story + (f"\n\n法律依据：{basis}" if basis else ""),
            category=categories.get(category_code),
        )
    Entry.objects.bulk_create(new)
    if new:
        record(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            target=actor,
            extra={"knowledge_entries": len(new)},
        )
    return len(new)
