"""The KPI tests count what the lifecycle does; the mediation app's own guard (an agreement in
force before record_agreement) is tested there, and set aside here. ``clock`` lets a test act on
chosen days (figures are by month), patching ``timezone.now`` and the fields defaulting to it."""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone

from fengqiao.cases import hooks


@pytest.fixture(autouse=True)
def cases_table_only(monkeypatch):
    monkeypatch.setattr(hooks, "_guards", {})


class Clock:
    def __init__(self) -> None:
        self.real = timezone.now
        self.moment: datetime | None = None

    def now(self) -> datetime:
        return self.moment or self.real()

    def at(self, year: int, month: int, day: int = 15) -> None:
        self.moment = datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def clock() -> Iterator[Clock]:
    moment = Clock()
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", moment.now))
        for model in apps.get_models():
            for model_field in model._meta.concrete_fields:
                if model_field.default is moment.real:
                    stack.enter_context(mock.patch.object(model_field, "_get_default", moment.now))
        yield moment
