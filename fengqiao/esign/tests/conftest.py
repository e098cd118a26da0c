"""A case in mediation at the 静河村人民调解委员会 (whose key seals its agreement) with two parties
whose ID numbers and mobile phones are registered, a complete written draft agreement, and
helpers that read the SMS outbox and draw a signature."""

import base64
import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from conftest import complete_particulars
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import AgreementForm, CaseStatus, PartyRole
from fengqiao.cases.models import Case
from fengqiao.cases.services import PartyDraft
from fengqiao.esign import services
from fengqiao.mediation import services as mediation
from fengqiao.mediation.choices import SessionMode
from fengqiao.mediation.models import Agreement
from fengqiao.notifications.sms import ConsoleBackend
from fengqiao.orgs.models import Mediator, Organisation

ZHANG_ID = "430624199001011233"
LI_ID = "430624198505052341"
ZHANG_PHONE = "13800138000"
LI_PHONE = "13900139000"


@pytest.fixture
def director(village_mediator) -> User:
    """The committee's mediator, who registers, mediates and signs."""
    return village_mediator


@pytest.fixture
def outsider(make_actor, tree) -> User:
    return make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="outsider")


@pytest.fixture
def committee(tree) -> Organisation:
    return tree.village_committee


@pytest.fixture
def case(register_case, director, tree, committee) -> Case:
    case = register_case(
        actor=director,
        org=committee,
        parties=(
            PartyDraft(
                role=PartyRole.APPLICANT, name="张三", id_number=ZHANG_ID, phone=ZHANG_PHONE
            ),
            PartyDraft(role=PartyRole.RESPONDENT, name="李四", id_number=LI_ID, phone=LI_PHONE),
        ),
    )
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=director)
    complete_particulars(case, director)  # art.29 asks them of an agreement in force
    today = timezone.localdate()
    mediator = Mediator.objects.create(name="王调解", kind="full_time", org=committee)
    for party in case.parties.all():
        mediation.rights_notify(
            actor=director, case_id=case.pk, party_id=party.pk, notified_on=today, acknowledged=True
        )
    mediation.session_record(
        actor=director,
        case_id=case.pk,
        held_at=timezone.now() - timedelta(hours=2),
        mode=SessionMode.IN_PERSON,
        place="静河村村委会调解室",
        mediator_ids=[mediator.pk],
        attendees="张三、李四",
        record_text="双方陈述事实后同意协商。",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def agreement(case, director) -> Agreement:
    return mediation.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        parties_particulars="张三，男，静河村村民；李四，男，静河村村民",
        facts="双方因宅基地边界发生争执",
        issues="边界围墙位置",
        responsibilities="李四越界砌墙，负主要责任",
        terms=[
            mediation.TermDraft(
                content="李四向张三支付补偿款5000元",
                obligor="李四",
                manner="银行转账",
                place="静河村村委会",
                due_on=timezone.localdate() + timedelta(days=40),
            )
        ],
    )


def drawing(strokes: int = 3) -> str:
    """A signature-like PNG data URL, as the pad sends it (transparent background)."""
    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for i in range(strokes):
        pen.line(
            [(40 + 150 * i, 180), (110 + 150 * i, 50), (170 + 150 * i, 170)], fill="black", width=5
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


BLANK = drawing(strokes=0)


@pytest.fixture
def sms_outbox() -> list[dict[str, str]]:
    ConsoleBackend.outbox.clear()
    return ConsoleBackend.outbox


@pytest.fixture
def send_code(director, django_capture_on_commit_callbacks, sms_outbox) -> Callable[..., str]:
    """Send the party's code (the SMS goes out after the commit) and read it from the outbox."""

    def send(agreement: Agreement, party_id: int, actor: User | None = None) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            services.signing_code_send(
                actor=actor or director,
                case_id=agreement.case_id,
                agreement_id=agreement.pk,
                party_id=party_id,
            )
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox[-1]["text"])
        assert found, sms_outbox[-1]
        return found.group(1)

    return send


@pytest.fixture
def sign_everyone(director, send_code) -> Callable[[Agreement], None]:
    ids = {"张三": ZHANG_ID, "李四": LI_ID}

    def sign(agreement: Agreement) -> None:
        for party in agreement.case.parties.order_by("pk"):
            code = send_code(agreement, party.pk)
            services.party_sign(
                actor=director,
                case_id=agreement.case_id,
                agreement_id=agreement.pk,
                party_id=party.pk,
                id_number=ids[party.name],
                code=code,
                signature=drawing(),
            )
        services.mediator_sign(
            actor=director,
            case_id=agreement.case_id,
            agreement_id=agreement.pk,
            signature=drawing(2),
        )

    return sign


def trace(case: Case) -> dict[str, Any]:
    """What a refused step must leave unchanged."""
    from fengqiao.audit.models import AuditEntry
    from fengqiao.esign.models import ElectronicSignature, SignedAgreement
    from fengqiao.mediation.models import Signature

    case.refresh_from_db()
    return {
        "events": case.events.count(),
        "audit": AuditEntry.objects.count(),
        "esignatures": ElectronicSignature.objects.count(),
        "signatures": Signature.objects.count(),
        "signed": SignedAgreement.objects.count(),
    }
