from django.db import migrations


def seed(apps, schema_editor):
    from fengqiao.cases.deadlines import ensure_default_policies, mark_statutory_defaults

    policy = apps.get_model("cases", "DeadlinePolicy")
    mark_statutory_defaults(policy)
    ensure_default_policies(policy, apps.get_model("cases", "DisputeCategory"))


class Migration(migrations.Migration):
    """The seeded statutory limits become statutory, with their citations, and the court
    procedures get their own. Apart from the schema migrations: on PostgreSQL rows updated in
    the transaction that adds a foreign key leave trigger events pending that block its index."""

    dependencies = [("cases", "0014_deadline_policy_region")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
