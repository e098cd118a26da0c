"""The cases' reference data from memory (``core.refcache``, issue #15): the dispute categories
and the deadline policies, read on every list, filter form and registration and edited a few
times a year in the admin (whose saves bump the version). The rows are shared by every request
of the process: read them, never change them."""

from dataclasses import dataclass, field

from fengqiao.cases.models import DeadlinePolicy, DisputeCategory
from fengqiao.core import refcache


@dataclass(frozen=True, slots=True)
class Categories:
    """Every category, in the table's order (``order``, ``code``), each with its parent loaded."""

    rows: tuple[DisputeCategory, ...]
    by_code: dict[str, DisputeCategory] = field(default_factory=dict)

    def active(self) -> list[DisputeCategory]:
        return [c for c in self.rows if c.is_active]

    def top_level(self, code: str) -> DisputeCategory | None:
        """The active category ``code`` (not a subcategory), as registration accepts it."""
        found = self.by_code.get(code)
        return found if found and found.parent_id is None and found.is_active else None

    def child(self, code: str, parent: DisputeCategory | None) -> DisputeCategory | None:
        """The subcategory ``code`` of ``parent`` (active or not, as before; no parent: a
        top-level row, as the query ``parent=None`` found)."""
        found = self.by_code.get(code)
        if found is None or found.parent_id != (parent.pk if parent else None):
            return None
        return found

    def active_children(self, parent_code: str) -> list[DisputeCategory]:
        return [c for c in self.rows if c.is_active and c.parent and c.parent.code == parent_code]


def _load_categories() -> Categories:
    rows = tuple(DisputeCategory.objects.select_related("parent").order_by("order", "code"))
    return Categories(rows, {c.code: c for c in rows})


def categories() -> Categories:
    return refcache.cached("cases.categories", _load_categories)


def _load_policies() -> tuple[DeadlinePolicy, ...]:
    return tuple(
        DeadlinePolicy.objects.filter(is_active=True).select_related("region").order_by("pk")
    )


def active_policies() -> tuple[DeadlinePolicy, ...]:
    """The active deadline policies, each with its region loaded, in id order."""
    return refcache.cached("cases.deadline_policies", _load_policies)
