"""The case aggregate: a dispute, its parties, its categories and its append-only timeline."""

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.choices import (
    CaseOutcome,
    CaseStatus,
    Channel,
    ClockStart,
    CourtProcedure,
    DeadlineStage,
    EventKind,
    ExtensionRule,
    IdType,
    PartyKind,
    PartyRole,
    RiskLevel,
)
from fengqiao.cases.particulars import CONTEXT as PARTICULARS_CONTEXT
from fengqiao.cases.particulars import Particulars, masked
from fengqiao.core import clock, crypto
from fengqiao.core.calendar import period_end
from fengqiao.core.collation import SORT_KEY_MAX_LENGTH, pinyin_sort_key, with_name_key
from fengqiao.core.models import TimeStampedModel
from fengqiao.core.refcache import ReferenceData, ReferenceQuerySet
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import within_q

ADDRESS_CONTEXT = "party.address"  # the AES-GCM associated data of a party's 住址


class DisputeCategory(ReferenceData, models.Model):
    """A dispute category or subcategory (DOMAIN §6.5): a two-level dictionary editable in the
    admin."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("category"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet["DisputeCategory"].as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dispute category")
        verbose_name_plural = _("dispute categories")

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(ReferenceData, models.Model):
    """A time limit for handling cases, by channel, category and handling level; the most specific
    active row wins. Deadlines are data, editable by administrators (ARCHITECTURE rule 5)."""

    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel, blank=True, help_text=_("Blank: any channel.")
    )
    category = models.ForeignKey(
        DisputeCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        limit_choices_to={"parent__isnull": True},
        help_text=_("Blank: any category."),
    )
    level = models.PositiveSmallIntegerField(
        _("handling level"),
        choices=RegionLevel,
        null=True,
        blank=True,
        help_text=_("Blank: any level."),
    )
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(
        _("working days"),
        default=False,
        help_text=_("Count working days only (holiday calendar applies)."),
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    # A city (or any region) may set its own limit, e.g. its 12345 hotline's 办理时限.
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Blank: everywhere. A city's own limit applies to disputes in the city."),
    )
    procedure = models.CharField(
        _("court procedure"),
        max_length=20,
        choices=CourtProcedure,
        blank=True,
        help_text=_("Blank: any procedure."),
    )
    # A statutory limit is law, not a default: 交办 may shorten it, never lengthen it, and only
    # the law's own extension moves it (issue #14).
    statutory = models.BooleanField(
        _("statutory limit"),
        default=False,
        help_text=_("Set by law: assignment may only shorten it; only the law's extension."),
    )
    starts = models.CharField(
        _("runs from"), max_length=20, choices=ClockStart, default=ClockStart.REGISTERED
    )
    extension = models.CharField(
        _("lawful extension"), max_length=20, choices=ExtensionRule, default=ExtensionRule.NONE
    )
    extension_days = models.PositiveSmallIntegerField(
        _("longest lawful extension (days)"), default=0
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ReferenceQuerySet["DeadlinePolicy"].as_manager()

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        kind = _("working days") if self.working_days else _("days")
        return f"{self.days} {kind} · {self.basis}"

    def clean(self) -> None:
        """One row per (channel, category, level): otherwise "most specific" would be ambiguous.
        (A unique constraint cannot say this portably: SQLite treats NULLs as distinct.)"""
        twins = DeadlinePolicy.objects.filter(
            channel=self.channel,
            category=self.category,
            level=self.level,
            procedure=self.procedure,
            region=self.region,
        ).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(_("A policy for this channel, category and level exists."))
        if self.statutory and not self.basis.strip():
            raise ValidationError({"basis": _("A statutory limit must cite its legal basis.")})
        if self.extension != ExtensionRule.NONE and not self.extension_days:
            raise ValidationError(
                {"extension_days": _("Give the longest extension the law allows.")}
            )


class CaseQuerySet(models.QuerySet["Case"]):
    def within(self, prefixes: list[str]) -> "CaseQuerySet":
        """Cases handled in, or arising in, any of the given region subtrees (none if no prefixes).

        A village keeps sight of its dispute after escalating it; it may no longer act on it,
        because actions check the handling organisation only.
        """
        return self.filter(
            within_q("handling_prefix", prefixes) | within_q("place_prefix", prefixes)
        )

    def open(self) -> "CaseQuerySet":
        return self.filter(outcome="").exclude(status=CaseStatus.CLOSED)


class Case(TimeStampedModel):
    """A dispute registered once, handled by one organisation at a time, until it is closed."""

    number = models.CharField(_("case number"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    claims = models.TextField(_("claims"), blank=True)  # 诉求
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    source_ref = models.CharField(
        _("source reference"), max_length=64, blank=True
    )  # 警情编号, 工单编号…
    category = models.ForeignKey(
        DisputeCategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
        limit_choices_to={"parent__isnull": True},
    )
    subcategory = models.ForeignKey(
        DisputeCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subcategory"),
    )
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="cases", verbose_name=_("place")
    )
    grid = models.ForeignKey(
        "regions.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("grid"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount in dispute (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_count = models.PositiveIntegerField(_("people involved"), default=2)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel, default=RiskLevel.LOW
    )
    is_criminal_risk = models.BooleanField(_("risk of turning criminal"), default=False)  # 民转刑
    is_mass = models.BooleanField(_("mass incident risk"), default=False)  # 群体性
    is_extreme = models.BooleanField(_("extreme behaviour risk"), default=False)  # 极端

    registering_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered at"),
        editable=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
        editable=False,
    )
    # The handling fields change only through the workflow executor (cases.services).
    handling_org = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("handling organisation"),
        editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
        editable=False,
    )
    # A mediator on the roster (调解员名册) who has no login, as a history import recorded them
    # handling a case of an earlier year (issue #21 item 7): the case's mediator where
    # ``assignee`` is empty. Live work assigns logins only, and clears it when it does.
    roster_mediator = models.ForeignKey(
        "orgs.Mediator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mediator on the roster"),
        editable=False,
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("responsible leader"),
        editable=False,
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CaseStatus,
        default=CaseStatus.REGISTERED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), default=clock.now, editable=False
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=CaseOutcome, blank=True, editable=False
    )
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True, editable=False)
    # While waiting on a party the clock stops; resuming moves the due date by the days paused.
    deadline_paused_at = models.DateTimeField(
        _("deadline paused since"), null=True, blank=True, editable=False
    )
    # A handler asked for more time (延期申请) until this date; a leader grants or refuses it.
    extension_requested_until = models.DateField(
        _("extension requested until"), null=True, blank=True, editable=False
    )
    # Where a pending transfer came from, and the status to restore if the receiver returns it.
    transfer_from = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    transfer_return_status = models.CharField(
        max_length=20, choices=CaseStatus, blank=True, editable=False
    )
    # 并案: a merged case points at the primary case, which keeps every source and every event.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        editable=False,
        verbose_name=_("merged into"),
    )
    # The routing rule that chose the handling organisation at registration (code, name, reason).
    routing = models.JSONField(_("routing decision"), default=dict, blank=True, editable=False)
    # Region prefixes copied from the handling organisation and the place: jurisdiction checks are
    # prefix scans on these two indexed columns, never joins (ARCHITECTURE rule 1).
    handling_prefix = models.CharField(max_length=12, editable=False)
    place_prefix = models.CharField(max_length=12, editable=False)
    # The head of the timeline: a deleted last event shows up as a mismatch in verify_ledger.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    ledger_head = models.CharField(max_length=64, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(
                fields=["handling_prefix", "-created_at"],
                name="case_handling_recent",
                opclasses=["varchar_pattern_ops", ""],
            ),
            models.Index(
                fields=["place_prefix", "-created_at"],
                name="case_place_recent",
                opclasses=["varchar_pattern_ops", ""],
            ),
            # 三源合一: the newest cases of one category in one township (intake.duplicates).
            models.Index(
                fields=["category", "place_prefix", "-created_at"],
                name="case_category_place_recent",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            # People search by case-number or source-number prefix (LIKE 'x%' needs pattern ops
            # under a non-C collation).
            models.Index(
                fields=["number"], name="case_number_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["source_ref"], name="case_source_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["handling_org", "status"], name="case_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*CaseOutcome.values, ""]), name="case_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="case_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="case_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=~Q(source_ref=""),
                name="case_source_ref_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return not self.outcome and self.status != CaseStatus.CLOSED

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_open
            and self.deadline_paused_at is None
            and self.due_date is not None
            and self.due_date < clock.today()
        )

    @property
    def risk_flags(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.is_criminal_risk, _("risk of turning criminal")),
                (self.is_mass, _("mass incident risk")),
                (self.is_extreme, _("extreme behaviour risk")),
            )
            if flag
        ]


class CaseCounter(models.Model):
    """The last case number a unit issued in a year; locked row by row so numbers never collide."""

    org = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.last_value}"


class Party(models.Model):
    """A person or organisation in a dispute. ID number, phone and the other particulars
    (``cases.particulars``) are encrypted at rest (PIPL)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="parties", verbose_name=_("case")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    # ``core.collation.pinyin_sort_key(name)``, kept with the name (``set_name``, save()): the
    # case list orders by the first party's name in pinyin (issue #16). Erased with the name.
    name_key = models.CharField(
        max_length=SORT_KEY_MAX_LENGTH, blank=True, default="", db_default="", editable=False
    )
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=32, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    # The last four digits have their own keyed index (another context), so "尾号 8000" finds the
    # person without the full number ever being stored in clear or derivable (#16).
    phone_tail_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # 住址/住所 (issue #14): encrypted like the ID number; the masked form keeps it down to the
    # village or 组 for lists and pages, the documents that print particulars show it in full.
    address_encrypted = models.TextField(blank=True, editable=False)
    address_masked = models.CharField(_("address"), max_length=200, blank=True, editable=False)
    # 证件类型 of ``id_number``; blank on parties registered before it was asked (a person's
    # number was then validated as a 居民身份证).
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType, blank=True)
    # 性别, 民族, 出生日期, 职业, 法定代表人… as one encrypted JSON value; the masked forms say
    # which are filled (issue #14: particulars were bare names).
    particulars_encrypted = models.TextField(blank=True, editable=False)
    particulars_masked = models.JSONField(default=dict, blank=True, editable=False)
    # Set when the retention period ran out and the personal data were erased (PIPL art.47).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Where the party lives (township or village): routing sends cross-village disputes up.
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residence"),
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            # People search: exact and surname-first prefix ("张建" finds 张建国) on a btree;
            # longer fragments use the pg_trgm index made in the migration.
            models.Index(
                fields=["name"], name="party_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = pinyin_sort_key(self.name)
        kwargs["update_fields"] = with_name_key(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def set_name(self, value: str) -> None:
        """The name and its sort key (bulk writes skip save())."""
        self.name = value
        self.name_key = pinyin_sort_key(value)

    def set_id_number(self, value: str) -> None:
        value = crypto.normalise_id_number(value)
        self.id_number_encrypted = crypto.encrypt(value, context="party.id_number")
        self.id_number_index = crypto.blind_index(value, context="id_number")
        self.id_number_masked = crypto.mask_id_number(value)

    def set_phone(self, value: str) -> None:
        value = crypto.normalise_phone(value)
        self.phone_encrypted = crypto.encrypt(value, context="party.phone")
        self.phone_index = crypto.blind_index(value, context="phone")
        self.phone_tail_index = crypto.phone_tail_index(value)
        self.phone_masked = crypto.mask_phone(value)

    def set_address(self, value: str) -> None:
        value = value.strip()
        self.address_encrypted = crypto.encrypt(value, context=ADDRESS_CONTEXT) if value else ""
        self.address_masked = crypto.mask_address(value)

    def address_plain(self) -> str:
        """The full address; callers that show it are audited or print an official document."""
        return crypto.decrypt(self.address_encrypted, context=ADDRESS_CONTEXT)

    def set_particulars(self, values: Particulars) -> None:
        self.particulars_encrypted = crypto.encrypt(values.to_json(), context=PARTICULARS_CONTEXT)
        self.particulars_masked = masked(values)

    def particulars(self) -> Particulars:
        """The decrypted particulars; callers that show them audit it (``party_reveal``,
        ``documents.services.document_generate``)."""
        return Particulars.from_json(
            crypto.decrypt(self.particulars_encrypted, context=PARTICULARS_CONTEXT)
        )

    def reveal(self) -> dict[str, str]:
        """Plain ID number, phone and particulars; only audited callers use this
        (``cases.services.party_reveal``, ``documents.services.document_generate``)."""
        values = self.particulars()
        return {
            "id_number": crypto.decrypt(self.id_number_encrypted, context="party.id_number"),
            "phone": crypto.decrypt(self.phone_encrypted, context="party.phone"),
            "address": self.address_plain(),
            "gender": values.gender,
            "ethnicity": values.ethnicity,
            "birth_date": values.birth_date.isoformat() if values.birth_date else "",
            "occupation": values.occupation,
            "representative": values.representative,
            "representative_title": values.representative_title,
            "agent": values.agent,
        }


class CaseDeadline(models.Model):
    """A statutory time limit running on a case (the handling limit, and for 信访 the 受理告知,
    复查 and 复核 stages): where it starts, the law's days, the days it stood still and the lawful
    extension granted. ``limit_date`` is the latest due date the law allows; the case's due date
    never passes it."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="deadlines")
    stage = models.CharField(_("stage"), max_length=20, choices=DeadlineStage)
    basis = models.CharField(_("legal basis"), max_length=200)
    started_on = models.DateField(_("runs from"))
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(_("working days"), default=False)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    extension_rule = models.CharField(
        _("lawful extension"), max_length=20, choices=ExtensionRule, default=ExtensionRule.NONE
    )
    extension_max_days = models.PositiveSmallIntegerField(default=0)
    extended_days = models.PositiveSmallIntegerField(_("days extended"), default=0)
    extension_count = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(_("due date"))
    met_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("statutory time limit")
        verbose_name_plural = _("statutory time limits")
        constraints = [
            models.UniqueConstraint(fields=["case", "stage"], name="case_deadline_stage_once"),
            models.CheckConstraint(
                condition=Q(extended_days__lte=models.F("extension_max_days")),
                name="case_deadline_extension_within_law",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.due_date}"

    @property
    def limit_date(self) -> date:
        """The latest lawful due date as things stand (extension granted so far included)."""
        return period_end(
            self.started_on,
            self.days,
            working=self.working_days,
            paused_days=self.paused_days,
            extended_days=self.extended_days,
        )

    @property
    def extension_left(self) -> int:
        if self.extension_rule == ExtensionRule.APPROVAL_ONCE and self.extension_count:
            return 0
        return max(self.extension_max_days - self.extended_days, 0)


class CaseEvent(models.Model):
    """One entry of a case's timeline. Append-only (database triggers refuse UPDATE and DELETE),
    and chained: ``hash`` covers this event and the previous event's hash."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32, choices=EventKind)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    org = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(default=clock.now)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The real day a history import wrote this back-dated event (``data["imported"]`` says from
    # which ledger row); the daily digest seals it under that day, not under ``occurred_at``'s
    # day, which may be sealed already (``cases.ledger``). Null for every event written live.
    imported_on = models.DateField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["case_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class CaseLinkKind(models.TextChoices):
    RELATED = "related", _("Related")  # 关联: the same dispute from another channel, kept apart
    DUPLICATE = "duplicate", _("Duplicate")  # 重复: recognised as the same dispute


class CaseLink(models.Model):
    """Two cases recognised as the same or a related dispute (三源合一). Stored once per pair,
    the lower id first; ``score`` and ``reasons`` say why (e.g. "同一身份证号；描述相似度 0.82")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseLinkKind)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    automatic = models.BooleanField(_("linked automatically"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="case_link_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(case__lt=models.F("other")), name="case_link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}~{self.other_id} {self.kind}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Files are stored under a random name: the original name is kept in the row only."""
    return f"attachments/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Evidence or a photo attached to a case (portal upload, grid report, staff). Immutable."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)  # sniffed from the bytes
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20)  # portal, grid, staff, api
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class LedgerDigest(models.Model):
    """One day's seal over every case timeline (网络安全法 art.21 audit trail): the hash of the
    heads the day left (each case's last event of the day), chained to the day before. Anyone
    holding a copy of a digest can later prove that day's ledger was not rewritten, and an event
    slipped in with an earlier date breaks the day it claims."""

    day = models.DateField(unique=True)
    case_count = models.PositiveIntegerField()
    heads_hash = models.CharField(max_length=64)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.digest[:12]}"
