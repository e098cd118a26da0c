"""Database-level guarantees the ORM cannot express: the append-only ledger, Chinese full-text
search, and the default category dictionary."""

from django.db import migrations

from fengqiao.core.migration_ops import VendorSQL


def seed_categories(apps, schema_editor):
    from fengqiao.cases.categories import ensure_default_categories

    ensure_default_categories(apps.get_model("cases", "DisputeCategory"))


APPEND_ONLY = "cases_caseevent is append-only"


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        # The timeline is the ledger (ARCHITECTURE rule 3): refuse UPDATE and DELETE in the database
        # itself, so neither a bug nor a hand-written query can rewrite history.
        VendorSQL(
            sqlite=[
                f"CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
                f"CREATE TRIGGER cases_caseevent_no_delete BEFORE DELETE ON cases_caseevent "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
            ],
            postgresql=[
                f"CREATE FUNCTION cases_caseevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$",
                "CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE OR DELETE ON cases_caseevent "
                "FOR EACH ROW EXECUTE FUNCTION cases_caseevent_refuse()",
            ],
            sqlite_reverse=[
                "DROP TRIGGER cases_caseevent_no_update",
                "DROP TRIGGER cases_caseevent_no_delete",
            ],
            postgresql_reverse=[
                "DROP TRIGGER cases_caseevent_no_update ON cases_caseevent",
                "DROP FUNCTION cases_caseevent_refuse()",
            ],
        ),
        # Chinese substring search (STACK.md): SQLite FTS5 trigram kept in step by triggers;
        # PostgreSQL pg_trgm GIN indexes that serve LIKE '%…%'.
        VendorSQL(
            sqlite=[
                "CREATE VIRTUAL TABLE cases_case_fts USING fts5(title, description, "
                "content='cases_case', content_rowid='id', tokenize='trigram')",
                "CREATE TRIGGER cases_case_fts_insert AFTER INSERT ON cases_case BEGIN "
                "INSERT INTO cases_case_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END",
                "CREATE TRIGGER cases_case_fts_delete AFTER DELETE ON cases_case BEGIN "
                "INSERT INTO cases_case_fts(cases_case_fts, rowid, title, description) "
                "VALUES ('delete', old.id, old.title, old.description); END",
                "CREATE TRIGGER cases_case_fts_update AFTER UPDATE OF title, description ON cases_case BEGIN "
                "INSERT INTO cases_case_fts(cases_case_fts, rowid, title, description) "
                "VALUES ('delete', old.id, old.title, old.description); "
                "INSERT INTO cases_case_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END",
            ],
            postgresql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX cases_case_title_trgm ON cases_case USING gin (title gin_trgm_ops)",
                "CREATE INDEX cases_case_description_trgm ON cases_case USING gin (description gin_trgm_ops)",
            ],
            sqlite_reverse=[
                "DROP TRIGGER cases_case_fts_insert",
                "DROP TRIGGER cases_case_fts_delete",
                "DROP TRIGGER cases_case_fts_update",
                "DROP TABLE cases_case_fts",
            ],
            postgresql_reverse=[
                "DROP INDEX cases_case_title_trgm",
                "DROP INDEX cases_case_description_trgm",
            ],
        ),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
    ]
