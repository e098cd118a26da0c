"""Drive a case through its lifecycle with whichever test actor may take each step."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, NotFound, TransitionBlocked
from fengqiao.orgs.models import Organisation

DEFAULTS = {"note": "记录", "agreement_form": "written", "termination_reason": "unwilling"}


@dataclass
class Driver:
    actors: list[User]
    assign_to: dict[int, tuple[Organisation, User]] = field(default_factory=dict)

    def values(self, case: Case, name: str, values: dict) -> dict:
        if name == "assign":
            org, person = self.assign_to.get(case.handling_org_id) or next(
                iter(self.assign_to.values())
            )
            values = {
                "org_id": org.pk,
                "assignee_id": person.pk,
                "due_date": timezone.localdate() + timedelta(days=10),
                **values,
            }
        return {**DEFAULTS, **values}

    def act(self, case: Case, name: str, **values: object) -> Case:
        """Take the step as the first actor allowed to; raise the last refusal otherwise."""
        case.refresh_from_db()
        refusal: Exception | None = None
        for actor in self.actors:
            try:
                return case_transition(
                    actor=actor,
                    case_id=case.pk,
                    name=name,
                    action=ActionInput(**self.values(case, name, dict(values))),
                )
            except (TransitionBlocked, InvalidInput, NotFound) as error:
                refusal = error
        assert refusal is not None
        raise refusal
