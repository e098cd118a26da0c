"""docs/indicators.md is the output of indicator_doc.render: change a definition, regenerate; and
every indicator states its counting rule (unit of count, cohort, lifecycle, seed sentence)."""

from pathlib import Path

from fengqiao.kpi.definitions import INDICATORS, counting_rule
from fengqiao.kpi.indicator_doc import render

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_committed_doc_equals_generated_output():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/indicators.md is stale: run "
        "`python manage.py indicators_doc --output docs/indicators.md`"
    )


def test_every_case_indicator_writes_down_its_counting_rule():
    for indicator in INDICATORS:
        counted, cohort, lifecycle = counting_rule(indicator)
        assert all((counted, cohort, lifecycle)), indicator.code
        if any(not t.external for t in [*indicator.numerator, *indicator.denominator]):
            events = {event for event, _effect in lifecycle}
            if not any(t.evaluation for t in indicator.numerator):
                assert events == {"重新办理", "撤回", "不予受理", "移交", "上报上级", "并案"}, (
                    indicator.code
                )
        assert indicator.basis or indicator.code == "registered", indicator.code
