"""The 督办台账 (DOMAIN A4/A7: 一事一交办、限期化解、督办): every supervision notice on the chosen
cases — automatic or a leader's, to whom, what was asked by when, the reply and when it came,
and how far up it was escalated."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fengqiao.cases.models import Case
from fengqiao.dataio.case_ledgers import label
from fengqiao.dataio.ledgers import Column, Ledger
from fengqiao.supervision.choices import NoticeKind, NoticeStatus
from fengqiao.supervision.models import SupervisionNotice

SUPERVISION = Ledger(
    code="supervision",
    title=_("Supervision ledger (督办台账)"),
    description=_(
        "Every supervision notice on the chosen cases: issued by whom and when, to which unit, "
        "the instructions and reply deadline, the reply, and escalations."
    ),
    columns=(
        Column(_("Case number"), lambda r: r["case__number"], 22),
        Column(_("Title"), lambda r: r["case__title"], 24),
        Column(_("Way"), lambda r: label(NoticeKind, r["kind"]), 10),
        Column(
            _("Issued by"),
            lambda r: r["issued_by__full_name"] or r["issued_by__username"] or "",
            10,
        ),
        Column(_("Issued at"), lambda r: r["issued_at"], 16),
        Column(_("Handling unit"), lambda r: r["to_org__name"], 20),
        Column(_("Instructions"), lambda r: r["instructions"][:500], 36),
        Column(_("Reply due"), lambda r: r["reply_due"], 12),
        Column(_("Reply"), lambda r: r["reply"][:500], 36),
        Column(_("Replied at"), lambda r: r["replied_at"], 16),
        Column(_("Status"), lambda r: label(NoticeStatus, r["status"]), 10),
        Column(_("Escalation level"), lambda r: r["level"], 8),
    ),
)


def notice_values(cases: QuerySet[Case]) -> QuerySet[Any]:
    return (
        SupervisionNotice.objects.filter(case__in=cases)
        .order_by("issued_at", "id")
        .values(
            "id",
            "case__number",
            "case__title",
            "kind",
            "issued_by__full_name",
            "issued_by__username",
            "issued_at",
            "to_org__name",
            "instructions",
            "reply_due",
            "reply",
            "replied_at",
            "status",
            "level",
        )
    )
