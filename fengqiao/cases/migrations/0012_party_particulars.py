"""Party particulars (issue #14): 证件类型 and the encrypted 性别/民族/出生日期/职业… value.
Existing people with a valid 居民身份证 number get 性别 and 出生日期 read from it."""

from django.db import migrations, models


def derive_from_id_numbers(apps, schema_editor):
    from fengqiao.cases.particulars import CONTEXT, derived_from_id_number, masked
    from fengqiao.core import crypto

    Party = apps.get_model("cases", "Party")
    batch = []
    people = (
        Party.objects.filter(kind="person", particulars_encrypted="")
        .exclude(id_number_encrypted="")
        .only("pk", "id_number_encrypted")
    )
    for party in people.iterator(chunk_size=2000):
        number = crypto.decrypt(party.id_number_encrypted, context="party.id_number")
        values = derived_from_id_number(number)
        if not values.gender:
            continue
        party.id_type = "resident_id"
        party.particulars_encrypted = crypto.encrypt(values.to_json(), context=CONTEXT)
        party.particulars_masked = masked(values)
        batch.append(party)
        if len(batch) >= 2000:
            Party.objects.bulk_update(
                batch, ["id_type", "particulars_encrypted", "particulars_masked"]
            )
            batch = []
    Party.objects.bulk_update(batch, ["id_type", "particulars_encrypted", "particulars_masked"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_people_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="id_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("resident_id", "Resident identity card"),
                    ("hk_macau_permit", "Mainland travel permit for HK and Macao residents"),
                    ("taiwan_permit", "Mainland travel permit for Taiwan residents"),
                    ("passport", "Passport"),
                    ("foreign_permanent", "Foreign permanent resident ID card"),
                    ("credit_code", "Unified social credit code"),
                    ("other", "Other certificate"),
                ],
                max_length=20,
                verbose_name="ID type",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="particulars_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="party",
            name="particulars_masked",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(derive_from_id_numbers, migrations.RunPython.noop, elidable=True),
    ]
