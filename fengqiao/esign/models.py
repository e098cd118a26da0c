"""Electronic signature of written mediation agreements (电子签名法 art.13): the committee's
signing key, the one-time codes of the identity check, each signature drawn on screen and the
PAdES-signed agreement file."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.core import clock
from fengqiao.mediation.choices import SignatureRole


class CommitteeKey(models.Model):
    """The signing key and X.509 certificate of one 人民调解委员会. The private key is kept only
    encrypted by the personal-data key provider (``core.crypto``); at most one key of a committee
    is current, retired ones stay so that files they signed can still be verified."""

    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="signing_keys",
        verbose_name=_("committee"),
    )
    certificate_pem = models.TextField(_("certificate"))
    chain_pem = models.TextField(_("CA chain"), blank=True)  # intermediates and root of a real CA
    private_key_encrypted = models.TextField(editable=False)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    is_self_signed = models.BooleanField(_("self-signed"), default=True)
    valid_until = models.DateTimeField(_("valid until"))
    created_at = models.DateTimeField(_("installed at"), default=clock.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["org_id", "-created_at"]
        verbose_name = _("committee signing key")
        verbose_name_plural = _("committee signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["org"], condition=Q(retired_at__isnull=True), name="esign_one_current_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.fingerprint[:16]}"


class SigningCode(models.Model):
    """A one-time code sent to a party's registered phone before they sign (only its hash is
    kept; few tries; short-lived)."""

    agreement = models.ForeignKey("mediation.Agreement", on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("cases.Party", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing code")
        verbose_name_plural = _("signing codes")
        indexes = [models.Index(fields=["agreement", "party", "-created_at"], name="esign_code")]

    def __str__(self) -> str:
        return f"{self.agreement_id}/{self.party_id} {self.created_at:%Y-%m-%d %H:%M}"


class ElectronicSignature(models.Model):
    """A handwritten signature drawn on screen by a party (after the identity check) or by the
    mediator, bound to the exact text of the agreement it was given to (``text_sha256``)."""

    agreement = models.ForeignKey(
        "mediation.Agreement", on_delete=models.PROTECT, related_name="electronic_signatures"
    )
    role = models.CharField(
        _("signed as"),
        max_length=20,
        choices=[
            (SignatureRole.PARTY, SignatureRole.PARTY.label),
            (SignatureRole.MEDIATOR, SignatureRole.MEDIATOR.label),
        ],
    )
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=100)
    image_png = models.BinaryField(editable=False)
    image_sha256 = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    # How the signer was identified: ["id_number", "sms_code"] for a party, ["session"] for staff.
    identity_checks = models.JSONField(default=list)
    signed_at = models.DateTimeField(_("signed at"), default=clock.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agreement_id", "signed_at", "id"]
        verbose_name = _("electronic signature")
        verbose_name_plural = _("electronic signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "text_sha256"],
                condition=Q(role=SignatureRole.PARTY),
                name="esign_party_once_per_text",
            ),
            models.UniqueConstraint(
                fields=["agreement", "text_sha256"],
                condition=Q(role=SignatureRole.MEDIATOR),
                name="esign_mediator_once_per_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.role} {self.signer_name}"


class SignedAgreement(models.Model):
    """The final 调解协议书 PDF with every drawn signature, signed by the committee's key as a
    PAdES signature; the file is a ``documents.GeneratedDocument`` (kept with its sha256)."""

    agreement = models.ForeignKey(
        "mediation.Agreement", on_delete=models.PROTECT, related_name="signed_files"
    )
    document = models.OneToOneField(
        "documents.GeneratedDocument", on_delete=models.PROTECT, related_name="signed_agreement"
    )
    key = models.ForeignKey(CommitteeKey, on_delete=models.PROTECT, related_name="signed_files")
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    # The messageDigest inside the PAdES signature: a copy whose bytes differ is still traced to
    # the file we issued, and the page can say that it was changed.
    signed_digest = models.CharField(max_length=128, db_index=True)
    text_sha256 = models.CharField(max_length=64)
    signatures = models.ManyToManyField(ElectronicSignature, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=clock.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.sha256[:12]}"
