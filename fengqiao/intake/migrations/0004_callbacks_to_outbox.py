# Results for 12345 and the court leave through the one outbox (notifications); the rows still
# queued or kept here move there with their idempotency keys, and the callback table goes.

from django.db import migrations

from fengqiao.core import crypto

CALLBACK_SECRET_CONTEXT = "intake.callback_secret"  # noqa: S105  AAD labels, not secrets
OUTBOX_SECRET_CONTEXT = "notifications.outbox_secret"  # noqa: S105


def move_callbacks(apps, schema_editor):
    ChannelCallback = apps.get_model("intake", "ChannelCallback")
    OutboundMessage = apps.get_model("notifications", "OutboundMessage")
    for callback in ChannelCallback.objects.select_related("endpoint").order_by("pk").iterator():
        secret = ""
        if callback.endpoint.callback_secret_encrypted:
            plain = crypto.decrypt(
                callback.endpoint.callback_secret_encrypted, context=CALLBACK_SECRET_CONTEXT
            )
            secret = crypto.encrypt(plain, context=OUTBOX_SECRET_CONTEXT)
        OutboundMessage.objects.create(
            channel="http",
            target=callback.url,
            case_id=callback.case_id,
            payload=callback.payload,
            secret_encrypted=secret,
            idempotency_key=callback.idempotency_key,
            status=callback.status,
            attempts=callback.attempts,
            next_attempt_at=callback.next_attempt_at,
            claimed_at=callback.claimed_at,
            sent_at=callback.sent_at,
            last_error=callback.last_error,
            created_at=callback.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_ledger_imports"),
        ("notifications", "0002_one_outbox"),
    ]

    operations = [
        migrations.RunPython(move_callbacks, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChannelCallback"),
    ]
