"""What a PNG review of the demo's documents found (issue #14): a document states what held on
its own date, not on the day it is printed, and says each particular once."""

from datetime import date

import pytest
from django.utils import timezone

from fengqiao.documents import contexts, services
from fengqiao.documents.tests.helpers import docx_text
from fengqiao.mediation.choices import PerformanceState
from fengqiao.mediation.models import Agreement
from fengqiao.mediation.tests.conftest import complete_terms, sign_all  # noqa: F401  a fixture

pytestmark = pytest.mark.django_db


def test_an_agreement_printed_later_gives_the_ages_on_its_own_date(resolved_case, director):
    """李四 was born on 1975-06-18: on an agreement of 2020-06-17 he is 44, whenever it is
    printed (it printed his age today, 51 in 2026)."""
    Agreement.objects.filter(case=resolved_case).update(effective_on=date(2020, 6, 17))
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    text = docx_text(document.file.read())
    assert "1975年6月18日出生（44岁）" in text
    assert "1990年1月1日出生（30岁）" in text  # 张三


def test_the_closing_report_printed_later_bears_the_day_of_the_conclusion(
    resolved_case, director, monkeypatch
):
    """Printed a year on, the form still bears the day the case was concluded (it bore the day
    of printing, under a 履行情况 that was true on the day of the conclusion)."""
    concluded = contexts.day(timezone.localdate())  # the fixture concludes the case today
    monkeypatch.setattr(contexts.clock, "today", lambda: date(2030, 1, 1))
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="closing_report", file_format="docx"
    )
    text = docx_text(document.file.read())
    assert concluded in text
    assert "2030年1月1日" not in text


@pytest.mark.parametrize(
    ("state", "due_on", "shown"),
    [
        (PerformanceState.PENDING, date(2026, 1, 17), "履行期限已过，履行情况待核实"),
        (PerformanceState.PENDING, date(2026, 3, 1), "未到履行期限"),
        (PerformanceState.PENDING, None, "未到履行期限"),
        (PerformanceState.PERFORMED, date(2026, 1, 17), "已履行"),
    ],
)
def test_a_term_past_its_deadline_is_never_called_not_yet_due(state, due_on, shown):
    """The demo's closing report said 未到履行期限 of a term due 2026-01-17, printed in December."""
    assert contexts.performance(state, due_on, date(2026, 2, 1)) == shown


def test_the_agreement_prints_the_particulars_once(mediating, director, sign_all):  # noqa: F811
    """The agreement's own text about the parties is optional now: the demo filled it with the
    names ("魏建国；江小红"), which the agreement printed again under the particulars."""
    from fengqiao.cases.choices import AgreementForm
    from fengqiao.mediation import services as mediation

    case = mediating()
    agreement = mediation.agreement_save(
        actor=director,
        case_id=case.pk,
        form=AgreementForm.WRITTEN,
        facts="双方因宅基地边界发生争执",
        issues="边界围墙位置",
        responsibilities="李四越界砌墙，负主要责任",
        terms=complete_terms(timezone.localdate()),
    )
    sign_all(agreement)
    mediation.agreement_make_effective(actor=director, agreement_id=agreement.pk)
    document = services.document_generate(
        actor=director, case_id=case.pk, kind="agreement", file_format="docx"
    )
    particulars = docx_text(document.file.read()).split("纠纷主要事实")[0]
    assert particulars.count("张三") == 1
    assert particulars.count("李四") == 1
