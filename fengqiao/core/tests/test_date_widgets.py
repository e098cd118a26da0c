"""Issue #21: the 交办 deadline was rendered ``value="2026/12/15"`` (the zh-hans format), which
``<input type="date">`` rejects, so every date already given showed empty and was lost."""

from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from fengqiao.cases import workflow
from fengqiao.cases.forms import ActionForm
from fengqiao.cases.models import Case

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_assign_form_shows_the_case_deadline_in_iso(register_case, township_clerk):
    case = register_case()
    Case.objects.filter(pk=case.pk).update(due_date=date(2026, 12, 15), status="accepted")
    case.refresh_from_db()
    with translation.override("zh-hans"):
        form = ActionForm(transition=workflow.get("assign"), case=case, actor=township_clerk)
        html = str(form[workflow.DUE_DATE])
    assert 'value="2026-12-15"' in html
    assert "2026/12/15" not in html


def test_no_form_builds_a_date_picker_without_the_iso_widget():
    """The check that keeps it fixed: date pickers come from fengqiao.core.widgets only."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "widgets.py"
        and (
            "forms.DateInput(" in (text := path.read_text(encoding="utf-8"))
            or "forms.DateTimeInput(" in text
        )
    ]
    assert offenders == []


def test_the_widgets_render_iso_whatever_the_language():
    from fengqiao.core.widgets import DateInput, DateTimeInput

    moment = timezone.make_aware(timezone.datetime(2026, 12, 15, 9, 30))
    with translation.override("zh-hans"):
        assert 'value="2026-12-15"' in DateInput().render("d", date(2026, 12, 15))
        assert 'value="2026-12-15T09:30"' in DateTimeInput().render(
            "t", timezone.localtime(moment).replace(tzinfo=None)
        )
