import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A city's own limit (its 12345 办理时限)."""

    dependencies = [
        ("cases", "0013_statutory_clocks"),
        ("regions", "0002_division_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadlinepolicy",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank: everywhere. A city's own limit applies to disputes in the city.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="region",
            ),
        ),
    ]
