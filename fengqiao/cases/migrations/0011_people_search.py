"""People search (#16): a keyed index of each phone's last four digits, prefix indexes on case
and source numbers and party names, and a trigram index on party names (PostgreSQL)."""

from django.db import migrations, models

from fengqiao.core.migration_ops import VendorSQL


def index_phone_tails(apps, schema_editor):
    """Existing parties get their tail index from the decrypted phone (keys are configured
    wherever personal data exist)."""
    from fengqiao.core import crypto

    Party = apps.get_model("cases", "Party")
    batch = []
    for party in (
        Party.objects.exclude(phone_encrypted="")
        .only("pk", "phone_encrypted")
        .iterator(chunk_size=2000)
    ):
        phone = crypto.decrypt(party.phone_encrypted, context="party.phone")
        party.phone_tail_index = crypto.phone_tail_index(phone)
        batch.append(party)
        if len(batch) >= 2000:
            Party.objects.bulk_update(batch, ["phone_tail_index"])
            batch = []
    Party.objects.bulk_update(batch, ["phone_tail_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_extension_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="phone_tail_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["number"], name="case_number_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["source_ref"], name="case_source_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="party",
            index=models.Index(
                fields=["name"], name="party_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        VendorSQL(
            sqlite=[],
            postgresql=[
                "CREATE INDEX cases_party_name_trgm ON cases_party USING gin (name gin_trgm_ops)"
            ],
            postgresql_reverse=["DROP INDEX cases_party_name_trgm"],
        ),
        migrations.RunPython(index_phone_tails, migrations.RunPython.noop),
    ]
