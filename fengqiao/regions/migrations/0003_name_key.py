"""The pinyin sort key of region names, filled in for the rows already there (issue #16)."""

from django.db import migrations, models

from fengqiao.core.migration_ops import backfill_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_division_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="name_key",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=800
            ),
        ),
        backfill_name_keys("regions", "Region"),
    ]
