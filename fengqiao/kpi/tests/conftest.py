"""The KPI tests count what the lifecycle does; the mediation app's own guard (an agreement in
force before record_agreement) is tested there, and set aside here."""

import pytest

from fengqiao.cases import hooks


@pytest.fixture(autouse=True)
def cases_table_only(monkeypatch):
    monkeypatch.setattr(hooks, "_guards", {})
