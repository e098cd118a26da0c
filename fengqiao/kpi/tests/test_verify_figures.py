"""verify_figures on the loaded demo: every indicator of every region × month equals a recount from
cases and events and keeps the invariants (so `make test` runs the reconciliation CI asks for);
a counter that drifts from the ledger is reported and fails the command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fengqiao.kpi.models import MonthlyRollup, RollupCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--cases", "120", stdout=StringIO())


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_figures", *args, stdout=out)
    return out.getvalue()


def test_the_demo_reconciles_for_every_region_and_month(demo):
    assert "全部指标与案件、事件重算结果一致" in verify()


def test_the_demo_township_drill_downs_list_exactly_the_counted_cases(demo):
    assert "一致" in verify("--region", "430624122000", "--drill")


def test_a_drifted_counter_is_printed_and_fails_the_command(demo):
    township = RollupCounter.objects.filter(place_code__startswith="430624122")
    cell = township.filter(metric="resolved").first()
    assert cell is not None
    RollupCounter.objects.filter(pk=cell.pk).update(count=cell.count + 1)  # the township reads days
    out = StringIO()
    with pytest.raises(CommandError, match="不一致"):
        call_command("verify_figures", "--region", "430624122000", stdout=out)
    assert f"{cell.day:%Y-%m} resolution_success_rate: resolved served" in out.getvalue()


def test_every_stored_cell_is_recounted_daily_and_monthly(demo):
    """Each drifted cell is named with its table, place and day, whichever regions the
    region × month check reaches (the benchmark checks the served figures of a sample of
    regions, the cells of all)."""
    daily = RollupCounter.objects.filter(metric="registered").first()
    monthly = MonthlyRollup.objects.filter(metric="registered").first()
    assert daily is not None
    assert monthly is not None
    RollupCounter.objects.filter(pk=daily.pk).update(count=daily.count + 1)
    MonthlyRollup.objects.filter(pk=monthly.pk).update(count=monthly.count + 2)
    out = StringIO()
    with pytest.raises(CommandError, match="不一致"):
        call_command("verify_figures", stdout=out)
    text = out.getvalue()
    assert f"{daily.place_code} {daily.day} registered: daily cell" in text
    assert f"stored {daily.count + 1}, recounted {daily.count}" in text
    assert f"{monthly.place_code} {monthly.day} registered: monthly cell" in text
    assert f"stored {monthly.count + 2}, recounted {monthly.count}" in text


def test_an_unknown_region_is_refused():
    with pytest.raises(CommandError, match="没有区划代码"):
        verify("--region", "999999999999")
