"""The 卷宗 binds what happened (issue #14 item 4): for each kind of case every bound paper's
precondition holds, a paper the file must hold and cannot is listed with its reason and the
binding is refused; 申请书, 权利义务告知书 and 司法确认申请书 exist only where their event
happened."""

import pytest
from django.db.models import QuerySet

from fengqiao.cases.choices import CaseOutcome, Channel
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import InvalidInput
from fengqiao.documents import contexts, kinds, services
from fengqiao.documents.casefile import CaseFile, case_file_load
from fengqiao.documents.choices import DocumentKind
from fengqiao.documents.models import GeneratedDocument
from fengqiao.mediation.models import Agreement, RightsNotice, Session

pytestmark = pytest.mark.django_db

K = DocumentKind


def _precondition_holds(code: str, data: CaseFile) -> bool:
    """Each paper's precondition, stated apart from ``kinds`` so the two are checked against
    each other."""
    in_force = data.in_force
    return {
        K.APPLICATION: data.case.channel in (Channel.WALK_IN, Channel.ONLINE, Channel.PHONE),
        K.REGISTRATION: True,
        K.RIGHTS_NOTICE: RightsNotice.objects.filter(case=data.case).exists(),
        K.IDENTITY: bool(data.parties),
        K.INVESTIGATION: bool(data.investigations),
        K.SESSION_RECORD: Session.objects.filter(case=data.case).exists(),
        K.AGREEMENT: data.written is not None,
        K.ORAL_AGREEMENT: data.oral is not None,
        K.PRESIDED: in_force is not None,
        K.TERMINATION: data.terminated is not None,
        K.UNDISPUTED_FACTS: data.failure is not None,
        K.FOLLOW_UP: bool(data.visits),
        K.CONFIRMATION: in_force is not None and in_force.confirmation_applied_on is not None,
        K.CLOSING_REPORT: bool(data.case.outcome),
    }[code]


def _proactive(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(channel=Channel.PROACTIVE)
    case.refresh_from_db()
    return case


def _unconfirmed(case: Case) -> Case:
    Agreement.objects.filter(case=case).update(confirmation_court="", confirmation_applied_on=None)
    return case


CASES = {
    "申请调解，书面协议，已申请司法确认": lambda r: r.getfixturevalue("resolved_case"),
    "申请调解，书面协议，未申请司法确认": lambda r: _unconfirmed(
        r.getfixturevalue("resolved_case")
    ),
    "主动调解，书面协议": lambda r: _proactive(r.getfixturevalue("resolved_case")),
    "口头协议": lambda r: r.getfixturevalue("oral_case"),
    "调解终止": lambda r: r.getfixturevalue("terminated_case"),
}


@pytest.mark.parametrize("kind_of_case", list(CASES))
def test_every_bound_paper_of_each_kind_of_case_records_what_happened(
    kind_of_case, request, director
):
    case = CASES[kind_of_case](request)
    data = case_file_load(case)
    sections = [s.code for s in kinds.dossier_sections(data)]

    for code in sections:
        assert _precondition_holds(code, data), code
    for code in kinds.dossier_required(data):
        assert code in sections, code
    assert K.CLOSING_REPORT in sections
    assert K.IDENTITY in sections
    dossier = services.document_generate(
        actor=director, case_id=case.pk, kind=K.DOSSIER, file_format="pdf"
    )
    assert dossier.size > 0


def test_no_application_form_for_proactive_mediation(resolved_case):
    data = case_file_load(_proactive(resolved_case))
    assert kinds.unavailable(K.APPLICATION, data)
    assert K.APPLICATION not in [s.code for s in kinds.dossier_sections(data)]


def test_no_rights_notice_form_where_none_was_recorded(terminated_case):
    RightsNotice.objects.filter(case=terminated_case).delete()
    data = case_file_load(terminated_case)
    assert kinds.unavailable(K.RIGHTS_NOTICE, data)


def test_no_confirmation_application_where_nobody_applied(resolved_case):
    data = case_file_load(_unconfirmed(resolved_case))
    assert kinds.unavailable(K.CONFIRMATION, data)
    assert K.CONFIRMATION not in [s.code for s in kinds.dossier_sections(data)]


def _documents(case: Case) -> QuerySet[GeneratedDocument]:
    return GeneratedDocument.objects.filter(case=case, kind=K.DOSSIER)


def test_a_file_missing_its_mediation_record_is_refused_with_the_reasons(resolved_case, director):
    # the finding: resolved files bound without any 调解记录 or notice
    Session.objects.filter(case=resolved_case).delete()
    RightsNotice.objects.filter(case=resolved_case).delete()
    with pytest.raises(InvalidInput) as refused:
        services.document_generate(
            actor=director, case_id=resolved_case.pk, kind=K.DOSSIER, file_format="pdf"
        )
    message = refused.value.errors["kind"][0]
    assert "人民调解记录" in message
    assert "人民调解当事人权利义务告知书" in message
    assert not _documents(resolved_case).exists()


def test_the_closing_report_and_the_certificate_carry_the_file(resolved_case):
    data = case_file_load(resolved_case)
    report = contexts.closing_report(data)
    assert report["outcome"] == "调解成功"
    assert report["agreement_form"] == "书面"
    assert report["dossier_number"].endswith("人调字第1号")
    assert report["concluded_on"]
    certificate = contexts.presided(data)
    assert certificate["mediators"] == "王调解"
    assert certificate["committee"] == "静河镇人民调解委员会"
    assert resolved_case.outcome == CaseOutcome.RESOLVED
