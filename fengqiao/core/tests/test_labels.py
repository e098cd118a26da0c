"""Issue #21: labels that said the wrong thing, because a bare msgid ("from", "to", "channel",
"date", "Investigation") means different things in different apps and the first catalog wins."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, pgettext

from fengqiao.cases import workflow
from fengqiao.cases.forms import ActionForm
from fengqiao.kpi.forms import PeriodForm
from fengqiao.mediation.forms import InvestigationForm, ReferralForm


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_kpi_date_filters_read_from_and_to_dates():
    form = PeriodForm(regions=[])
    assert (str(form["date_from"].label), str(form["date_to"].label)) == ("起始日期", "截止日期")


def test_the_referral_route_is_not_the_intake_channel():
    assert str(ReferralForm()["channel"].label) == "分流途径"


def test_a_plain_date_is_not_a_deadline():
    assert gettext("date") == "日期"
    assert str(InvestigationForm()["investigated_on"].label) != "办理期限"


def test_a_mediation_investigation_is_not_a_dispute_screening():
    assert pgettext("fact-finding in a mediation", "Investigation") == "调查"


@pytest.mark.django_db
def test_only_the_assign_deadline_is_the_handling_deadline(register_case, township_clerk):
    case = register_case()
    labels = {
        name: str(
            ActionForm(transition=workflow.get(name), case=case, actor=township_clerk)[
                workflow.DUE_DATE
            ].label
        )
        for name in ("assign", "request_extension", "extend_deadline")
    }
    assert labels == {
        "assign": "办理期限",
        "request_extension": "延期至",
        "extend_deadline": "延期至",
    }


def test_error_pages_are_chinese():
    html = render_to_string("500.html")
    assert "服务器错误" in html


def test_from_and_to_read_what_each_place_means():
    # issue #16: one bare msgid "from"/"to" with two meanings read "来自 / 承办" as dates
    from fengqiao.audit_review.forms import AuditSearchForm

    form = AuditSearchForm()
    assert (str(form["date_from"].label), str(form["date_to"].label)) == ("起始日期", "截止日期")
    assert pgettext("the unit a case was transferred from", "from") == "来自"
    assert pgettext("the words a suggestion is based on", "from") == "依据"
    assert pgettext("the unit a notice is addressed to", "to") == "承办"
    assert pgettext("who uploaded a file", "From") == "上传人"


def test_no_template_translates_a_bare_from_or_to():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    bare = re.compile(r'\{%\s*(?:trans|translate)\s+"(?:from|to|From|To)"\s*%\}')
    offenders = [str(p) for p in root.rglob("*.html") if bare.search(p.read_text())]
    assert offenders == []
