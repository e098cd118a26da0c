"""The pinyin sort key of party names, filled in for the rows already there (issue #16)."""

from django.db import migrations, models

from fengqiao.core.migration_ops import backfill_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_statutory_default_policies"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="name_key",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=800
            ),
        ),
        backfill_name_keys("cases", "Party"),
    ]
