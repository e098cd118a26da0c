"""The legal knowledge base: 法律法规 articles, 典型案例 and 政策问答 by dispute category, and the
citations that tie them to the cases, mediation records and agreements that rely on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fengqiao.core.models import TimeStampedModel
from fengqiao.knowledge.choices import CitedIn, EntryKind, EntryStatus, Visibility


class Entry(TimeStampedModel):
    """One article, typical case or Q&A; staff see every published entry, citizens the public
    ones (a typical case promoted from a real case is a draft until a reviewer publishes it)."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind)
    title = models.CharField(_("title"), max_length=200)
    law_name = models.CharField(_("law or regulation"), max_length=100, blank=True)
    article_no = models.CharField(_("article"), max_length=30, blank=True)  # 第二百八十八条
    body = models.TextField(_("text"))
    category = models.ForeignKey(
        "cases.DisputeCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispute category"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus, default=EntryStatus.DRAFT, editable=False
    )
    # A typical case promoted from a closed case keeps the link for staff; the text never does.
    source_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        indexes = [models.Index(fields=["status", "visibility", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="knowledge_entry_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="knowledge_entry_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Citation(TimeStampedModel):
    """An entry relied on in a case: in its handling, a mediation record or the agreement."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="citations", verbose_name=_("entry")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    cited_in = models.CharField(_("cited in"), max_length=20, choices=CitedIn)
    note = models.CharField(_("note"), max_length=200, blank=True)
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "case", "cited_in"], name="knowledge_citation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.entry_id}"
