"""The feed position of each timeline event on PostgreSQL: the writing transaction's id.

Event ids come from a sequence, so a transaction that started writing first can commit after one
that started later: a reader paging by id alone would step over the slower transaction's events
for good. Ordering by (writing transaction, id) and reading only transactions older than every
running one (the snapshot's xmin) gives an order in which nothing can still appear behind a
cursor. SQLite has one writer at a time, so there id order is already commit order and no column
is needed. The column is the database's (a default, never written by Django), so the append-only
triggers and the hash chain are untouched; the ORM reads it through ``feed.selectors``.
"""

from django.db import migrations

from fengqiao.core.migration_ops import VendorSQL


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_people_search")]

    operations = [
        VendorSQL(
            sqlite=[],
            postgresql=[
                "ALTER TABLE cases_caseevent ADD COLUMN feed_txid bigint NOT NULL "
                "DEFAULT (pg_current_xact_id()::text::bigint)",
                "CREATE INDEX cases_caseevent_feed_position ON cases_caseevent (feed_txid, id)",
            ],
            postgresql_reverse=[
                "DROP INDEX cases_caseevent_feed_position",
                "ALTER TABLE cases_caseevent DROP COLUMN feed_txid",
            ],
        ),
    ]
