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
