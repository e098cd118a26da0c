"""Demo: one 人民调解协议书 generated for the first demo case whose agreement is in force, by the
mediator who put it in force, so the documents panel shows a real file from the start."""

import random

from fengqiao.accounts.models import User
from fengqiao.documents import services
from fengqiao.documents.choices import DocumentFormat, DocumentKind
from fengqiao.mediation.models import Agreement


def demo_step(actor: User, rng: random.Random) -> list[str]:
    """The demo loader's step (``demo.steps.STEPS``)."""
    agreement = (
        Agreement.objects.filter(effective_on__isnull=False, form="written")
        .select_related("created_by")
        .order_by("pk")
        .first()
    )
    if agreement is None:
        return []
    document = services.document_generate(
        actor=agreement.created_by,
        case_id=agreement.case_id,
        kind=DocumentKind.AGREEMENT,
        file_format=DocumentFormat.DOCX,
    )
    return [f"文书：为案件 {document.case.number} 生成人民调解协议书 1 份"]
