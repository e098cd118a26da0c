"""Property tests of the ledger import (hypothesis): whatever mix of good and broken rows a file
holds, either every row becomes a case or none does, and every problem names a real row."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.cases.models import Case, CaseEvent
from fengqiao.intake.spreadsheet import cases_import
from fengqiao.intake.tests.test_spreadsheet import _row, _xlsx

pytestmark = pytest.mark.django_db

GOOD = st.builds(
    lambda title, phone: _row(标题=title, 申请人电话=phone),
    st.text(alphabet="宅基地纠纷邻里噪音排水土地承包工资", min_size=2, max_size=30),
    st.sampled_from(["13800138000", "0730-5551234", "+86 139 0013 9000", ""]),
)
BROKEN = st.one_of(
    st.builds(lambda: _row(标题="")),  # a required field missing
    st.builds(lambda: _row(纠纷类别="不存在的类别")),
    st.builds(lambda: _row(发生地="火星村")),
    st.builds(lambda: _row(申请人电话="12345")),
    st.builds(lambda value: _row(涉及金额=value), st.sampled_from(["-5", "很多", "1e999"])),
)
ROWS = st.lists(st.one_of(GOOD, BROKEN), min_size=1, max_size=8)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_all_rows_or_none(rows, tmp_path_factory, tree, township_clerk):
    path = _xlsx(tmp_path_factory.mktemp("ledger"), rows)
    cases_before, events_before = Case.objects.count(), CaseEvent.objects.count()

    report = cases_import(actor=township_clerk, org_id=tree.township_centre.pk, path=path)

    added = Case.objects.count() - cases_before
    if report.errors:
        assert added == 0
        assert CaseEvent.objects.count() == events_before
        assert {e.row for e in report.errors} <= set(range(2, len(rows) + 2))
    else:
        assert added == len(rows)
