"""What came in, from where: channel endpoints with their own tokens, and every submission kept
as received (encrypted: raw payloads carry names, phones and ID numbers)."""

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import Channel
from fengqiao.core import clock, crypto
from fengqiao.core.models import TimeStampedModel

PAYLOAD_CONTEXT = "intake.payload"
CALLBACK_SECRET_CONTEXT = "intake.callback_secret"  # noqa: S105  an AAD label, not a secret


class ChannelEndpoint(TimeStampedModel):
    """A source system that sends disputes in (the 110 dispatch platform, the 12345 hotline, the
    petition system, a court's mediation platform, the citizen portal of a township).

    Cases it sends are registered at ``org`` by ``service_user`` — an account holding
    ``case.register`` there — so every case has a real actor and every check of registration
    applies. Results go back to ``callback_url`` (12345, court) as queued, retried webhooks.
    """

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="channel_endpoints",
        verbose_name=_("receiving organisation"),
    )
    service_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service account"),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=12, editable=False)
    callback_url = models.URLField(_("result callback URL"), blank=True)
    callback_secret_encrypted = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["channel", "name"]
        verbose_name = _("channel endpoint")
        verbose_name_plural = _("channel endpoints")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_channel_display()}）"

    def set_callback_secret(self, secret: str) -> None:
        self.callback_secret_encrypted = (
            crypto.encrypt(secret, context=CALLBACK_SECRET_CONTEXT) if secret else ""
        )

    def callback_secret(self) -> str:
        if not self.callback_secret_encrypted:
            return ""
        return crypto.decrypt(self.callback_secret_encrypted, context=CALLBACK_SECRET_CONTEXT)


class SubmissionOutcome(models.TextChoices):
    REGISTERED = "registered", _("Registered as a new case")
    RESENT = "resent", _("Resent: the case already exists")


class IntakeSubmission(models.Model):
    """One accepted submission from a channel, its raw payload kept as received (encrypted) with
    its digest, and the case it became. A resend of the same source number is kept too, pointing
    at the existing case: the trail shows every time a source spoke."""

    endpoint = models.ForeignKey(
        ChannelEndpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True)
    payload_encrypted = models.TextField(editable=False)
    payload_sha256 = models.CharField(max_length=64, editable=False)
    received_at = models.DateTimeField(_("received at"), default=clock.now)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("case")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=SubmissionOutcome)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("intake submission")
        verbose_name_plural = _("intake submissions")
        indexes = [models.Index(fields=["channel", "source_ref"], name="intake_sub_source")]
        constraints = [
            # one registering submission per source number; resends are extra rows
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=Q(outcome="registered") & ~Q(source_ref=""),
                name="intake_submission_registered_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.source_ref}"

    def payload(self) -> Any:
        return json.loads(crypto.decrypt(self.payload_encrypted, context=PAYLOAD_CONTEXT))


class ImportStatus(models.TextChoices):
    CHECK_QUEUED = "check_queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, ready to import")
    INVALID = "invalid", _("Problems found, nothing imported")
    IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Stopped by an error, nothing imported")


CLAIMED_IMPORT_STATES = (ImportStatus.CHECKING, ImportStatus.IMPORTING)  # a worker holds it
RUNNING_IMPORT_STATES = (
    ImportStatus.CHECK_QUEUED,
    ImportStatus.CHECKING,
    ImportStatus.IMPORT_QUEUED,
    ImportStatus.IMPORTING,
)


def _import_upload_to(instance: "LedgerImport", filename: str) -> str:
    # A random name: the user's file name is kept in ``file_name`` only, never in a path.
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"imports/{clock.today():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class LedgerImport(TimeStampedModel):
    """An uploaded dispute ledger file of one unit, kept from the check to the import: the
    worker checks every row, then (when the uploader confirms) registers all rows or none in
    the uploader's name (issue #16: the check and the import ran in one request, past the
    gateway's timeout, and the file had to be chosen again)."""

    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registering organisation"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=_import_upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus, default=ImportStatus.CHECK_QUEUED
    )
    rows = models.PositiveIntegerField(default=0)  # data rows the check read
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{row, column, message}], the first MAX_REPORTED
    preview = models.JSONField(default=list)  # the first rows with readable labels
    created_cases = models.JSONField(default=list)  # [[sheet row, case number]]
    message = models.CharField(max_length=500, blank=True)  # why the whole file was refused
    finished_at = models.DateTimeField(null=True, blank=True)
    # Runs of the phase in hand a worker has taken up (the check's, then from the confirm the
    # import's): the stale-job sweep requeues an interrupted run up to
    # FENGQIAO_IMPORT_MAX_ATTEMPTS, and a run's result counts only while the job still names
    # its run, so a run the sweep gave up on can never finish the job (issue #16).
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_IMPORT_STATES
