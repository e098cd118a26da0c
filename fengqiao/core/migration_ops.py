"""Migration operations whose SQL differs between SQLite and PostgreSQL."""

from typing import Any

from django.db import migrations


class VendorSQL(migrations.RunSQL):
    """Run ``sqlite`` or ``postgresql`` statements depending on the database being migrated.

    Triggers, FTS tables and extensions have no portable spelling, yet both databases are
    first-class (ARCHITECTURE.md), so each operation carries both.
    """

    def __init__(
        self,
        *,
        sqlite: list[str],
        postgresql: list[str],
        sqlite_reverse: list[str] | None = None,
        postgresql_reverse: list[str] | None = None,
    ) -> None:
        super().__init__(sql=[], reverse_sql=[])
        self.by_vendor = {"sqlite": sqlite, "postgresql": postgresql}
        self.reverse_by_vendor = {
            "sqlite": sqlite_reverse or [],
            "postgresql": postgresql_reverse or [],
        }

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {
                "sqlite": self.by_vendor["sqlite"],
                "postgresql": self.by_vendor["postgresql"],
                "sqlite_reverse": self.reverse_by_vendor["sqlite"],
                "postgresql_reverse": self.reverse_by_vendor["postgresql"],
            },
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in self.by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for statement in self.reverse_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)


def backfill_name_keys(app_label: str, model_name: str) -> migrations.RunPython:
    """Give the existing rows of a model their ``name_key`` (``core.collation``), in batches."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        from fengqiao.core.collation import pinyin_sort_key

        model = apps.get_model(app_label, model_name)
        rows = model.objects.using(schema_editor.connection.alias).only("pk", "name")
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last).order_by("pk")[:2000])
            if not batch:
                return
            for row in batch:
                row.name_key = pinyin_sort_key(row.name)
            model.objects.using(schema_editor.connection.alias).bulk_update(batch, ["name_key"])
            last = batch[-1].pk

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
