from django.db import migrations


def seed(apps, schema_editor):
    from fengqiao.cases.deadlines import ensure_default_policies

    ensure_default_policies(
        apps.get_model("cases", "DeadlinePolicy"), apps.get_model("cases", "DisputeCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_calendar_and_deadline_policies")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
