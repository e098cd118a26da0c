"""Analysis reports: a real .docx with the period's figures, tables and chart images; made once per
region and period by the worker; downloaded only within reach, and audited."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.kpi.models import AnalysisReport, ReportSubscription
from fengqiao.kpi.periods import Period
from fengqiao.kpi.reports import bar_chart_png, previous_period
from fengqiao.kpi.selectors import Series
from fengqiao.kpi.services import report_generate, reports_generate_due

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        ("monthly", date(2026, 1, 5), date(2025, 12, 1), date(2025, 12, 31)),
        ("monthly", date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 28)),
        ("quarterly", date(2026, 1, 5), date(2025, 10, 1), date(2025, 12, 31)),
        ("quarterly", date(2026, 5, 20), date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_the_previous_period(kind, today, start, end):
    assert previous_period(kind, today) == Period(start, end)


def test_charts_are_real_pictures():
    png = bar_chart_png(Series("x", "纠纷类别", ["婚姻家庭", "邻里"], {"登记": [3, 1]}))
    image = Image.open(BytesIO(png))
    assert image.format == "PNG"
    assert image.width == 1200
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 2  # bars and text were drawn


def test_the_report_holds_figures_tables_and_charts(register_case, tree):
    register_case(title="宅基地纠纷")
    register_case(title="邻里纠纷", category="neighbour")
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)

    report = report_generate(region=tree.township, kind="monthly", period=period)

    document = Document(report.file.open("rb"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "静河镇" in text
    assert "矛盾纠纷分析报告" in text
    assert "本期共登记矛盾纠纷 2 件" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "矛盾纠纷调处率" in cells
    assert "房屋宅基地纠纷" in cells
    assert "邻里纠纷" in cells
    assert len(document.inline_shapes) >= 3  # the charts are pictures in the document
    import hashlib

    report.file.open("rb")
    assert hashlib.sha256(report.file.read()).hexdigest() == report.sha256


def test_the_worker_makes_each_report_once(tree, township_clerk, make_actor):
    ReportSubscription.objects.create(user=township_clerk, region=tree.township, kind="monthly")
    ReportSubscription.objects.create(user=township_clerk, region=tree.township, kind="quarterly")
    today = date(2026, 4, 2)
    assert reports_generate_due(today) == 2
    assert reports_generate_due(today) == 0  # a re-run makes nothing twice
    assert set(AnalysisReport.objects.values_list("kind", "period_start")) == {
        ("monthly", date(2026, 3, 1)),
        ("quarterly", date(2026, 1, 1)),
    }


def test_download_is_within_reach_and_audited(client, tree, township_clerk, make_actor):
    report = report_generate(
        region=tree.township, kind="monthly", period=Period(date(2026, 1, 1), date(2026, 1, 31))
    )
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client.force_login(outsider)
    assert client.get(reverse("kpi:report_download", args=[report.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).exists()
    client.force_login(township_clerk)
    response = client.get(reverse("kpi:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert Document(BytesIO(b"".join(response.streaming_content))).paragraphs
    assert AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).count() == 1


def test_the_reports_page_makes_one_now_and_subscribes(client, tree, township_clerk):
    client.force_login(township_clerk)
    url = reverse("kpi:reports")
    made = client.post(url, {"region": tree.township.code, "kind": "monthly", "action": "generate"})
    assert made.status_code == 302
    assert AnalysisReport.objects.count() == 1
    client.post(url, {"region": tree.township.code, "kind": "quarterly", "action": "subscribe"})
    assert ReportSubscription.objects.filter(user=township_clerk, kind="quarterly").exists()
    bad = client.post(url, {"region": tree.other_township.code, "kind": "monthly"})
    assert bad.status_code == 400
