"""住址 encrypted at rest like the ID number (issue #14): each held address is encrypted and
masked, then the plain column goes."""

from django.db import migrations, models

from fengqiao.core import crypto

CONTEXT = "party.address"  # cases.models.ADDRESS_CONTEXT at the time of writing


def encrypt_addresses(apps, schema_editor):
    Party = apps.get_model("cases", "Party")
    batch = []
    for party in Party.objects.exclude(address="").only("pk", "address").iterator(chunk_size=2000):
        value = party.address.strip()
        party.address_encrypted = crypto.encrypt(value, context=CONTEXT) if value else ""
        party.address_masked = crypto.mask_address(value)
        batch.append(party)
        if len(batch) >= 2000:
            Party.objects.bulk_update(batch, ["address_encrypted", "address_masked"])
            batch = []
    Party.objects.bulk_update(batch, ["address_encrypted", "address_masked"])


def decrypt_addresses(apps, schema_editor):
    Party = apps.get_model("cases", "Party")
    for party in Party.objects.exclude(address_encrypted="").iterator(chunk_size=2000):
        party.address = crypto.decrypt(party.address_encrypted, context=CONTEXT)
        party.save(update_fields=["address"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_clock_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="address_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="party",
            name="address_masked",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="address"
            ),
        ),
        migrations.RunPython(encrypt_addresses, decrypt_addresses),
        migrations.RemoveField(model_name="party", name="address"),
    ]
