# The inbox, channel preferences, group robots and deliveries now belong to the notifications
# app (its 0001 claimed and renamed their tables); supervision lets go of them in its state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_delivery_names"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="ChannelPreference"),
                migrations.DeleteModel(name="OrgWebhook"),
                migrations.DeleteModel(name="Notification"),
            ]
        )
    ]
