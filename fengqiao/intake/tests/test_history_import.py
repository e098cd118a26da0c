"""History import (issue #21 item 7): a ledger row of an earlier year becomes the case it was,
replayed through the intake path and the workflow at its own dates, marked imported; its figures
land in their true months and the ledger and the audit log stay verifiable."""

import csv
import io
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fengqiao.accounts import access
from fengqiao.accounts.roles import Capability, Role
from fengqiao.audit import chain
from fengqiao.cases import ledger
from fengqiao.cases.choices import CaseOutcome, CaseStatus, Channel, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core import clock
from fengqiao.intake.models import ImportStatus, LedgerImport
from fengqiao.intake.pipeline import register_dispute
from fengqiao.intake.spreadsheet import cases_import, template_workbook
from fengqiao.intake.tests.ledger_rows import CONCLUDED, HEADER, REGISTERED, YEAR
from fengqiao.intake.tests.ledger_rows import closed as _closed
from fengqiao.intake.tests.ledger_rows import import_rows as _import
from fengqiao.intake.tests.ledger_rows import row as _row
from fengqiao.intake.tests.ledger_rows import xlsx as _xlsx
from fengqiao.kpi import selectors
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.periods import Period
from fengqiao.mediation.models import Agreement
from fengqiao.notifications.models import ChannelPreference, Notification, OutboundMessage
from tests.factories import CaseDraftFactory

pytestmark = pytest.mark.django_db


def test_a_closed_case_keeps_its_dates_unit_mediator_outcome_and_agreement(
    tmp_path, tree, township_clerk, mediator
):
    report = _import(tmp_path, township_clerk, tree.township_centre, [_closed()])
    assert report.ok, report.errors
    case = Case.objects.get(number=report.created[0][1])
    assert case.number.startswith(f"{tree.township_centre.code}-{YEAR}-")
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.RESOLVED)
    assert case.handling_org == tree.township_centre
    assert case.assignee == mediator
    assert timezone.localdate(case.created_at) == REGISTERED
    agreement = Agreement.objects.get(case=case)
    assert (agreement.form, agreement.effective_on) == ("written", CONCLUDED)
    term = agreement.terms.get()
    assert (term.content, term.state) == ("李四拆除越界围墙，赔偿张三2000元", "performed")

    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert timezone.localdate(events[0].occurred_at) == REGISTERED
    assert events[0].kind == EventKind.REGISTERED
    transitions = [e.data["transition"] for e in events if e.kind == EventKind.TRANSITIONED]
    assert transitions == ["accept", "assign", "start_mediation", "record_agreement", "close"]
    closing = events[-1]
    assert timezone.localdate(closing.occurred_at) == CONCLUDED
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    assert all(e.data["imported"] == {"import": 7, "file": "x", "row": 2} for e in events)
    assert all(e.imported_on == clock.real_today() for e in events)
    assert case.status_changed_at.date() == CONCLUDED


def test_the_timeline_says_the_events_were_imported(
    tmp_path, tree, township_clerk, mediator, client
):
    report = _import(tmp_path, township_clerk, tree.township_centre, [_closed()])
    case = Case.objects.get(number=report.created[0][1])
    client.force_login(township_clerk)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "（历史导入）" in html
    assert f"{CONCLUDED:%Y-%m-%d}" in html


def test_the_month_figures_include_the_imported_case_and_verify_clean(
    tmp_path, tree, township_clerk, mediator
):
    report = _import(tmp_path, township_clerk, tree.township_centre, [_closed()])
    assert report.ok, report.errors
    april = Period(date(YEAR, 4, 1), date(YEAR, 4, 30))
    success = selectors.compute(BY_CODE["resolution_success_rate"], tree.township, april)
    assert success.value == 100
    assert success.numerator_total == 1
    march = Period(date(YEAR, 3, 1), date(YEAR, 3, 31))
    assert sum(selectors.counter_totals(tree.township, march).values()) > 0
    out = StringIO()
    call_command("verify_figures", stdout=out)
    assert "一致" in out.getvalue()


def test_an_import_into_sealed_days_keeps_the_ledger_and_audit_log_verifiable(
    tmp_path, tree, township_clerk, mediator
):
    """The days of the imported history were sealed long ago (a live case then): the import's
    back-dated events are sealed under the day they are written, and its audit rows carry the
    real time, so neither a sealed case day nor a sealed audit day changes."""
    then = datetime.combine(REGISTERED, time(10, 0), tzinfo=timezone.get_current_timezone())
    with clock.replay(then):
        draft = CaseDraftFactory(org=tree.township_centre, place=tree.village)
        register_dispute(actor=township_clerk, draft=draft)
    yesterday = clock.today() - timedelta(days=1)
    assert ledger.seal_days(until=yesterday) > 0
    assert chain.seal_days(until=yesterday) > 0
    report = _import(tmp_path, township_clerk, tree.township_centre, [_closed()])
    assert report.ok, report.errors
    assert ledger.verify_digests() == []
    assert chain.verify() == []
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "时间线完整" in out.getvalue()
    assert ledger.seal_days() == 0  # today is sealed tonight, with the imported events in it
    assert ledger.seal_days(until=clock.today()) == 1
    assert ledger.verify_digests() == []


def test_a_closing_date_before_registration_is_refused_and_nothing_is_imported(
    tmp_path, tree, township_clerk, mediator
):
    rows = [_closed(), _closed(办结日期=f"{YEAR}-03-01"), _row()]
    report = _import(tmp_path, township_clerk, tree.township_centre, rows)
    assert not report.ok
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "办结日期", "办结日期早于登记日期。")
    ]
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert Agreement.objects.count() == 0


def test_each_history_column_is_checked_in_chinese(tmp_path, tree, township_clerk, mediator):
    rows = [
        _closed(办结日期=""),
        _closed(调解员="赵六"),
        _closed(办理结果="和好如初"),
        _closed(登记日期=f"{YEAR}-02-01"),  # before it arose
        _closed(协议形式=""),
        _closed(承办单位="石塘镇矛调中心"),
        _row(办理结果="调解成功"),  # a result without a registration date
        _closed(办理结果="撤回", 办结日期=(clock.today() + timedelta(days=1)).isoformat()),
    ]
    report = _import(tmp_path, township_clerk, tree.township_centre, rows)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(2, "办结日期")] == "已办结的案件须填写办结日期。"
    assert found[(3, "调解员")] == "静河镇矛调中心没有名为赵六的调解员（名册或人员中均无）。"
    assert found[(4, "办理结果")] == "请从列表中选择办理结果。"
    assert found[(5, "登记日期")] == "登记日期早于纠纷发生日期。"
    assert found[(6, "协议形式")] == "达成协议的须填写协议形式（口头或书面）。"
    assert found[(7, "承办单位")] == "请填写您可以登记案件的单位。"
    assert found[(8, "办理结果")] == "往年台账中的案件须填写登记日期。"
    assert found[(9, "办结日期")] == "日期不能晚于今天。"
    assert Case.objects.count() == 0


def test_the_importer_needs_every_right_the_replayed_actions_take(
    tmp_path, tree, make_actor, mediator
):
    clerk = make_actor(Role.INTAKE_CLERK, tree.township_centre)  # registers, accepts, assigns
    report = _import(tmp_path, clerk, tree.township_centre, [_closed()])
    assert [(e.column, e.message) for e in report.errors] == [
        ("办理结果", "您在静河镇矛调中心无权：开始调解、记录调解协议、结案。")
    ]


def test_todays_file_format_still_imports_open_cases_dated_today(tmp_path, tree, township_clerk):
    header = HEADER[: HEADER.index("登记日期")]
    workbook = Workbook()
    workbook.active.append(header)
    workbook.active.append(_row()[: len(header)])
    path = tmp_path / "old.xlsx"
    workbook.save(path)
    report = cases_import(actor=township_clerk, org_id=tree.township_centre.pk, path=path)
    assert report.ok, report.errors
    case = Case.objects.get(number=report.created[0][1])
    assert (case.status, case.channel) == (CaseStatus.REGISTERED, Channel.IMPORT)
    event = case.events.get()
    assert timezone.localdate(event.occurred_at) == clock.today()
    assert "imported" not in event.data
    assert event.imported_on is None


def test_other_results_replay_their_own_actions(tmp_path, tree, township_clerk, mediator):
    rows = [
        _row(
            登记日期=REGISTERED.isoformat(),
            办理结果="调解不成功",
            调解员="wangtj",
            办结日期=CONCLUDED.isoformat(),
        ),
        _row(登记日期=REGISTERED.isoformat(), 办理结果="撤回", 办结日期=REGISTERED.isoformat()),
        _row(
            登记日期=REGISTERED.isoformat(),
            办理结果="移交",
            移交单位="静河派出所",
            办结日期=CONCLUDED.isoformat(),
        ),
        _row(登记日期=REGISTERED.isoformat(), 调解员="王调解"),  # still in mediation
        _row(登记日期=REGISTERED.isoformat()),  # registered, nothing more
    ]
    report = _import(tmp_path, township_clerk, tree.township_centre, rows)
    assert report.ok, report.errors
    cases = [Case.objects.get(number=number) for _row, number in report.created]
    assert [(c.status, c.outcome) for c in cases] == [
        (CaseStatus.CLOSED, CaseOutcome.TERMINATED),
        (CaseStatus.CLOSED, CaseOutcome.WITHDRAWN),
        (CaseStatus.CLOSED, CaseOutcome.DECLINED),
        (CaseStatus.MEDIATING, ""),
        (CaseStatus.REGISTERED, ""),
    ]
    withdrawn = cases[1].events.order_by("seq")
    assert {timezone.localdate(e.occurred_at) for e in withdrawn} == {REGISTERED}
    referred = cases[2].events.filter(kind=EventKind.TRANSITIONED).first()
    assert referred.data["referred_to"] == "静河派出所"
    call_command("verify_ledger", stdout=StringIO())
    call_command("verify_figures", stdout=StringIO())


def test_no_message_leaves_for_imported_history(
    tmp_path, tree, township_clerk, mediator, django_capture_on_commit_callbacks
):
    """A risky dispute of an earlier year is flagged on its timeline, but nobody is alerted, and
    no SMS goes to anyone, today."""
    for user, phone in ((mediator, "13900000000"), (township_clerk, "13900000001")):
        ChannelPreference.objects.create(user=user, channel="sms", kinds=[], target=phone)
    risky = _closed(纠纷概况="双方持刀对峙，扬言要砍人。", 标题="持刀对峙")
    with django_capture_on_commit_callbacks(execute=True):
        report = _import(tmp_path, township_clerk, tree.township_centre, [risky])
    assert report.ok, report.errors
    case = Case.objects.get(number=report.created[0][1])
    assert case.is_criminal_risk
    assert case.events.filter(kind=EventKind.RISK_FLAGGED).exists()
    assert Notification.objects.count() == 0
    assert OutboundMessage.objects.count() == 0
    # the same row registered today (no 登记日期) is news, and is announced
    today = list(risky)
    today[HEADER.index("登记日期")] = ""
    for name in ("调解员", "办理结果", "协议形式", "协议内容", "协议金额", "履行情况", "办结日期"):
        today[HEADER.index(name)] = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert _import(tmp_path, township_clerk, tree.township_centre, [today]).ok
    assert Notification.objects.count() > 0
    assert OutboundMessage.objects.filter(channel="sms").count() > 0


def test_the_template_lists_categories_places_units_and_results(tree, township_clerk, mediator):
    book = load_workbook(io.BytesIO(template_workbook(township_clerk)))
    assert {"纠纷类别", "发生地", "承办单位", "填写说明"} <= set(book.sheetnames)
    categories = [row[0] for row in book["纠纷类别"].iter_rows(min_row=2, values_only=True)]
    assert "房屋宅基地纠纷" in categories
    places = [row[0] for row in book["发生地"].iter_rows(min_row=2, values_only=True)]
    assert {"静河镇", "静河村", "湾河村"} <= set(places)
    assert "石塘村" not in places  # outside the jurisdiction
    units = list(book["承办单位"].iter_rows(min_row=2, values_only=True))
    assert ("静河镇矛调中心", "430624122ZZ") in [(u[0], u[1]) for u in units]
    assert "王调解" in next(u[2] for u in units if u[0] == "静河镇矛调中心")
    ledger_sheet = book["矛盾纠纷登记台账"]
    lists = [v.formula1 for v in ledger_sheet.data_validations.dataValidation]
    assert len(lists) >= 6


def test_the_web_import_checks_previews_and_replays_history_marking_its_batch(
    client, tree, township_clerk, mediator, django_capture_on_commit_callbacks
):
    client.force_login(township_clerk)
    page = client.get(reverse("intake:import")).content.decode()
    assert 'id="import-values"' in page
    assert "房屋宅基地纠纷" in page
    assert "湾河村" in page
    assert "王调解" in page
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, _closed()])
    upload = io.BytesIO(out.getvalue().encode("utf-8-sig"))
    upload.name = "2024台账.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import"), {"org_id": tree.township_centre.pk, "file": upload})
    job = LedgerImport.objects.get()
    assert (job.status, job.error_count) == (ImportStatus.CHECKED, 0)
    preview = client.get(reverse("intake:import_job", args=[job.pk])).content.decode()
    for shown in (REGISTERED.isoformat(), "静河镇矛调中心", "测试2", "调解成功"):
        assert shown in preview
    assert "resolved" not in preview  # the result's name, not its code
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    case = Case.objects.get(number=job.created_cases[0][1])
    marker = case.events.first().data["imported"]
    assert marker == {"import": job.pk, "file": "2024台账.csv", "row": 2}


def test_rights_are_read_in_real_time_while_an_earlier_year_is_replayed(tree, township_clerk):
    """The importer's membership dates from this year; under a replayed earlier date it still
    grants its rights (authorisation is decided now)."""
    then = datetime.combine(REGISTERED, time(9, 0), tzinfo=timezone.get_current_timezone())
    with clock.replay(then):
        assert clock.today() == REGISTERED
        assert access.can(township_clerk, Capability.CASE_CLOSE, prefix=tree.township.prefix)


def test_the_command_imports_history_too(tmp_path, tree, township_clerk, mediator):
    path = _xlsx(tmp_path, [_closed()])
    out = StringIO()
    call_command(
        "import_cases", str(path), "--org", tree.township_centre.code, "--user", "clerk", stdout=out
    )
    assert "已导入 1 件案件" in out.getvalue()
    case = Case.objects.get()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.RESOLVED)
    assert case.events.last().data["imported"] == {"file": "ledger.xlsx", "row": 2}
