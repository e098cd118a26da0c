from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_remove_organisation_org_kind_known_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="X of its file numbers （2026）X人调字第N号; blank: name less 人民调解委员会",
                max_length=20,
                verbose_name="short name",
            ),
        ),
    ]
