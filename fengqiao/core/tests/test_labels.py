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


def test_a_persons_name_is_not_an_organisations_name():
    # issue #21: 'name' was 姓名 in mediation and registers but 名称 elsewhere, and 名称 won
    from fengqiao.mediation.roster_views import MediatorForm
    from fengqiao.orgs.models import Organisation
    from fengqiao.registers.models import RegisterPerson

    assert str(RegisterPerson._meta.get_field("name").verbose_name) == "姓名"
    assert str(MediatorForm.base_fields["name"].label) == "姓名"
    assert str(Organisation._meta.get_field("name").verbose_name) == "名称"


def test_each_place_says_what_its_word_means():
    from fengqiao.mediation.models import Session
    from fengqiao.notifications.models import OutboundMessage
    from fengqiao.patrols.models import Hazard
    from fengqiao.regions.models import Region
    from fengqiao.wellbeing.models import CrisisAlert

    assert str(Region._meta.verbose_name) == "行政区划"
    assert str(Hazard._meta.get_field("region").verbose_name) == "地点"
    assert str(Hazard._meta.get_field("level").verbose_name) == "等级"
    assert str(CrisisAlert._meta.get_field("level").verbose_name) == "级别"
    assert str(Session._meta.get_field("place").verbose_name) == "地点"
    assert str(OutboundMessage._meta.get_field("channel").verbose_name) == "发送渠道"
    assert gettext("region") == "地区"
    assert gettext("signed") == "已签名"
    assert gettext("Village") == "村（社区）"
    assert pgettext("the village column of an investigation form", "Village") == "村名"


def test_no_installed_app_renames_our_words():
    # django.contrib.admin and .sessions come first in INSTALLED_APPS and their catalogs won
    assert pgettext("number of mediation sessions held", "Sessions") == "调解次数"
    assert pgettext("the change history of a hazard", "History") == "变化记录"
    assert pgettext("the summary of an investigation round", "Summary") == "汇总"
