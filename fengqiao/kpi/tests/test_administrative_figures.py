"""行政调解 has its own figures: mediations an administrative department concluded, and their
success rate, apart from the 人民调解委员会's; both still count in the 调处成功率, the drill-down
lists exactly the department's cases, and the rollups equal a recount."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import PartiesConsent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.kpi import selectors, verification
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.periods import Period
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _year() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))


def _value(code: str, region) -> Decimal | None:
    return selectors.compute(BY_CODE[code], region, _year()).value


def test_administrative_mediation_is_counted_apart(register_case, make_actor, tree):
    bureau = Organisation.objects.create(
        name="湘阴县自然资源局", kind=OrgKind.DEPARTMENT, region=tree.county, code="430624ZRJ"
    )
    director = make_actor(Role.CENTRE_DIRECTOR, tree.county_centre)
    officer = make_actor(Role.MEDIATOR, bureau)
    mediator = make_actor(Role.MEDIATOR, tree.village_committee)

    def run(org, person, last: str):
        case = register_case(actor=director, org=tree.county_centre)
        steps = [
            ("accept", director, {"parties_consent": PartiesConsent.CONSENTED}),
            (
                "assign",
                director,
                {
                    "org_id": org.pk,
                    "assignee_id": person.pk,
                    "due_date": timezone.localdate() + timedelta(days=10),
                },
            ),
            ("start_mediation", person, {}),
            (
                last,
                person,
                {"agreement_form": "written", "termination_reason": "unwilling", "note": "记录"},
            ),
        ]
        for name, actor, values in steps:
            case_transition(actor=actor, case_id=case.pk, name=name, action=ActionInput(**values))
        return case

    by_bureau = run(bureau, officer, "record_agreement")
    run(bureau, officer, "terminate")
    run(tree.village_committee, mediator, "record_agreement")

    county = tree.county
    assert _value("administrative_mediations", county) == 2
    assert _value("administrative_success_rate", county) == Decimal("50.00")  # 1 ÷ 2
    assert _value("resolution_success_rate", county) == Decimal("66.67")  # 2 ÷ 3, both kinds
    drilled = selectors.drill_counter(
        BY_CODE["administrative_success_rate"].numerator[0], county, _year()
    )
    assert [row.case.pk for row in drilled] == [by_bureau.pk]
    assert list(verification.verify()) == []
