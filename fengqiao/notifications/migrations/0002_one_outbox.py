# One outbox for every message that leaves: deliveries gain what the intake app's result
# callbacks had (a case, a JSON payload, an HMAC secret, an idempotency key); the callbacks move
# in with intake 0003.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def give_keys(apps, schema_editor):
    OutboundMessage = apps.get_model("notifications", "OutboundMessage")
    for message in OutboundMessage.objects.filter(idempotency_key__isnull=True).only("pk"):
        OutboundMessage.objects.filter(pk=message.pk).update(idempotency_key=uuid.uuid4())


CHANNELS = [
    ("sms", "SMS"),
    ("email", "Email"),
    ("wecom", "WeCom group robot"),
    ("dingtalk", "DingTalk group robot"),
    ("http", "Result callback"),
]
STATUSES = [
    ("pending", "Waiting"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("failed", "Failed, will retry"),
    ("dead", "Given up"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_people_search"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cases.case",
            ),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="payload",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="secret_encrypted",
            field=models.TextField(blank=True, editable=False, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="idempotency_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboundmessage",
            name="idempotency_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="notification",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="notifications.notification",
            ),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="target",
            field=models.CharField(max_length=500),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="channel",
            field=models.CharField(choices=CHANNELS, max_length=10, verbose_name="channel"),
        ),
        migrations.AlterField(
            model_name="channelpreference",
            name="channel",
            field=models.CharField(choices=CHANNELS[:2], max_length=10, verbose_name="channel"),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="status",
            field=models.CharField(
                choices=STATUSES, default="pending", max_length=10, verbose_name="status"
            ),
        ),
    ]
