"""Mediation work on a case: sessions, records, agreements, judicial confirmation, performance,
回访, and what remains when mediation fails (DOMAIN Part B §1–3, §6).

Every row belongs to one case; its jurisdiction is the case's ``handling_prefix``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fengqiao.cases.choices import AgreementForm
from fengqiao.core import clock
from fengqiao.mediation.choices import (
    FollowUpState,
    NumberKind,
    PerformanceState,
    ReferralChannel,
    ReferralResult,
    Ruling,
    Satisfaction,
    SessionMode,
    SignatureRole,
)


class Session(models.Model):
    """A mediation session (调解会) and its record (调解笔录).

    ``invitees`` are people invited with the parties' consent to help (人民调解法 art.20).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("case")
    )
    held_at = models.DateTimeField(_("held at"))
    mode = models.CharField(_("mode"), max_length=20, choices=SessionMode)
    place = models.CharField(
        pgettext_lazy("where a session or investigation is held", "place"),
        max_length=200,
        blank=True,
    )
    mediators = models.ManyToManyField(
        "orgs.Mediator", blank=True, related_name="sessions", verbose_name=_("mediators")
    )
    attendees = models.TextField(_("attendees"), blank=True)
    invitees = models.TextField(_("people invited"), blank=True)
    invitees_consented = models.BooleanField(_("parties consented to invitees"), default=False)
    record = models.TextField(_("session record"))  # 调解笔录
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["case_id", "held_at"]
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_at:%Y-%m-%d %H:%M}"


class Investigation(models.Model):
    """An investigation record (调查记录): who or what was looked into, where, what was found."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="investigations",
        verbose_name=_("case"),
    )
    investigated_on = models.DateField(_("date"))
    place = models.CharField(
        pgettext_lazy("where a session or investigation is held", "place"),
        max_length=200,
        blank=True,
    )
    investigators = models.CharField(_("investigators"), max_length=200)
    subject = models.CharField(_("person or matter investigated"), max_length=200)
    record = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["case_id", "investigated_on"]
        verbose_name = _("investigation record")
        verbose_name_plural = _("investigation records")

    def __str__(self) -> str:
        return f"{self.case_id} {self.investigated_on} {self.subject}"


class RightsNotice(models.Model):
    """One party told of their rights and duties (权利义务告知, 人民调解法 arts.23–24), and whether
    they acknowledged it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="rights_notices")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    notified_on = models.DateField(_("notified on"))
    acknowledged = models.BooleanField(_("acknowledged"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rights and duties notice")
        verbose_name_plural = _("rights and duties notices")
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="rights_notice_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.party_id} {self.notified_on}"


class EndRequest(models.Model):
    """A party's request to end the mediation (人民调解法 art.23: 要求终止调解)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="end_requests")
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    requested_on = models.DateField(_("requested on"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("request to end mediation")
        verbose_name_plural = _("requests to end mediation")

    def __str__(self) -> str:
        return f"{self.case_id} {self.party_id} {self.requested_on}"


class Agreement(models.Model):
    """A mediation agreement (人民调解协议).

    Written (art.29): parties' particulars, facts, issues and responsibilities, and terms with the
    manner, place and deadline of performance; in force once every party and the mediator signed
    and the committee sealed it (art.29 last paragraph). Oral (arts.28, 30): recorded by the
    mediator, in force from the day the parties reach it.

    ``effective_on`` is set only by ``services.agreement_make_effective``.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("case")
    )
    form = models.CharField(_("form"), max_length=20, choices=AgreementForm)
    parties_particulars = models.TextField(_("particulars of the parties"), blank=True)
    facts = models.TextField(_("main facts"), blank=True)
    issues = models.TextField(_("issues in dispute"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    oral_record = models.TextField(_("record of the oral agreement"), blank=True)  # art.30
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True, editable=False)
    not_confirmable = models.JSONField(
        _("grounds the court will not confirm"), default=list, blank=True, editable=False
    )  # 民诉法解释 art.355
    confirmation_court = models.CharField(_("court applied to"), max_length=100, blank=True)
    confirmation_applied_on = models.DateField(_("applied on"), null=True, blank=True)
    confirmation_ruling = models.CharField(_("ruling"), max_length=20, choices=Ruling, blank=True)
    confirmation_ruled_on = models.DateField(_("ruled on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["case_id", "created_at"]
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return f"{self.case_id} {self.form} {self.effective_on or '-'}"


class Signature(models.Model):
    """A signature (签名/盖章/按指印) on a written agreement: a party, the mediator, or the seal."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("signed as"), max_length=20, choices=SignatureRole)
    party = models.ForeignKey(
        "cases.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=100)
    # The seal is an organisation's, chosen by the system (seals.sealing_body), never typed.
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sealing organisation"),
    )
    signed_on = models.DateField(_("signed on"))

    class Meta:
        ordering = ["agreement_id", "signed_on", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "role", "party"], name="signature_once_per_signer"
            ),
            models.CheckConstraint(
                condition=(Q(role="seal") & Q(org__isnull=False))
                | (~Q(role="seal") & Q(org__isnull=True)),
                name="signature_seal_names_its_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.role} {self.signer_name}"


class Term(models.Model):
    """One obligation in an agreement, with the manner, place and deadline of performance
    (人民调解法 art.29 item 3), and its performance (art.31)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    content = models.TextField(_("obligation"))
    obligor = models.CharField(_("obliged party"), max_length=100, blank=True)
    manner = models.CharField(_("manner of performance"), max_length=200, blank=True)
    place = models.CharField(_("place of performance"), max_length=200, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("performance"), max_length=20, choices=PerformanceState, default=PerformanceState.PENDING
    )
    performed_on = models.DateField(_("performed on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement_id", "order", "id"]
        verbose_name = _("agreement term")
        verbose_name_plural = _("agreement terms")

    def __str__(self) -> str:
        return f"{self.agreement_id}.{self.order} {self.content[:30]}"


class FollowUp(models.Model):
    """A 回访: scheduled automatically after an agreement and before each term's deadline, then
    recorded with its outcome, the parties' satisfaction and whether the term was performed."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="follow_ups")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=20, choices=FollowUpState, default=FollowUpState.SCHEDULED
    )
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=50, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction, blank=True
    )
    term_performed = models.BooleanField(_("term performed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "due_on", "id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.case_id} {self.due_on} {self.state}"


class FailureRecord(models.Model):
    """What is kept when mediation fails: the notice of other routes (在线调解规则 art.26) and the
    record of undisputed facts (无争议事实记载, DOMAIN §3.5) each party confirms."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="mediation_failure"
    )
    other_routes = models.TextField(_("other routes notified"), blank=True)
    routes_notified_on = models.DateField(_("routes notified on"), null=True, blank=True)
    undisputed_facts = models.TextField(_("undisputed facts"), blank=True)
    confirmed_by = models.ManyToManyField(
        "cases.Party", blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("failed mediation record")
        verbose_name_plural = _("failed mediation records")

    def __str__(self) -> str:
        return f"{self.case_id}"


class Referral(models.Model):
    """A referral to litigation, arbitration, an administrative channel or enforcement, followed to
    its result."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    channel = models.CharField(
        pgettext_lazy("route a dispute is referred to", "channel"),
        max_length=20,
        choices=ReferralChannel,
    )
    body = models.CharField(_("referred to"), max_length=100)
    referred_on = models.DateField(_("referred on"))
    result = models.CharField(
        _("result"), max_length=20, choices=ReferralResult, default=ReferralResult.PENDING
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    result_note = models.TextField(_("result note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "referred_on"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case_id} {self.channel} {self.body}"


class NumberCounter(models.Model):
    """The last file number an issuing body gave in a year in one series; the row is locked
    while a number is taken, so two writers never get the same one."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=NumberKind)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("file number counter")
        verbose_name_plural = _("file number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "kind"], name="number_counter_once_per_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}/{self.kind}: {self.last_value}"


class FileNumber(models.Model):
    """A file number "（2026）X人调字第N号" an issuing body gave a case (its 卷号, printed on the
    卷宗 and the agreement): issued once, never given to another case, never reused."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="file_numbers", verbose_name=_("case")
    )
    org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("series"), max_length=20, choices=NumberKind)
    sequence = models.PositiveIntegerField(_("sequence"))
    text = models.CharField(_("number"), max_length=120)
    issued_at = models.DateTimeField(_("issued at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["case_id", "issued_at", "id"]
        verbose_name = _("file number")
        verbose_name_plural = _("file numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "kind", "sequence"], name="file_number_unique"
            ),
            models.UniqueConstraint(fields=["text"], name="file_number_text_unique"),
            models.UniqueConstraint(
                fields=["case", "org", "kind"], name="file_number_once_per_case_and_body"
            ),
        ]

    def __str__(self) -> str:
        return self.text
