"""一村一法律顾问: duty logs, the 考核 against targets as data, invitation into a case and the
adviser's own view of only that case."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.models import CaseEvent
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.registers import advisers
from fengqiao.registers.models import AdviserTarget, DutyLog, LegalAdviser

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(tree):
    firm = Organisation.objects.create(
        name="枫桥律师事务所", kind=OrgKind.LAW_FIRM, region=tree.county, code="430624LS99"
    )
    user = User.objects.create_user(username="lvshi", password="pw-Test-123456")
    adviser = LegalAdviser.objects.create(
        name="陈律师", law_firm=firm, duty_days="每周二上午", user=user
    )
    adviser.villages.set([tree.village])
    return adviser


def test_duties_count_towards_the_yearly_assessment(lawyer, township_clerk, tree):
    AdviserTarget.objects.create(region=tree.county, kind="lecture", per_village=2)
    AdviserTarget.objects.create(region=tree.county, kind="consultation", per_village=3)
    today = timezone.localdate()
    advisers.duty_log_add(
        actor=lawyer.user,
        adviser_id=lawyer.pk,
        village_code=tree.village.code,
        day=today,
        kind="lecture",
        count=2,
        note="民法典讲座",
    )
    advisers.duty_log_add(
        actor=township_clerk,
        adviser_id=lawyer.pk,
        village_code=tree.village.code,
        day=today,
        kind="consultation",
        count=1,
        note="",
    )
    [assessment] = advisers.adviser_assessments(
        actor=township_clerk, region=tree.township, year=today.year
    )
    results = {r.kind: (r.done, r.required, r.is_met) for r in assessment.results}
    assert results == {"lecture": (2, 2, True), "consultation": (1, 3, False)}
    assert assessment.is_met is False


def test_a_duty_in_a_village_not_served_or_in_the_future_is_refused(lawyer, tree):
    with pytest.raises(InvalidInput) as error:
        advisers.duty_log_add(
            actor=lawyer.user,
            adviser_id=lawyer.pk,
            village_code=tree.other_village.code,
            day=timezone.localdate() + timezone.timedelta(days=1),
            kind="lecture",
            count=1,
            note="",
        )
    assert set(error.value.errors) == {"village", "day"}
    assert DutyLog.objects.count() == 0


def test_a_stranger_cannot_log_for_an_adviser(lawyer, make_actor, tree):
    stranger = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    with pytest.raises(NotFound):
        advisers.duty_log_add(
            actor=stranger,
            adviser_id=lawyer.pk,
            village_code=tree.village.code,
            day=timezone.localdate(),
            kind="lecture",
            count=1,
            note="",
        )


def test_an_invited_adviser_sees_that_case_only_and_gives_an_opinion(
    lawyer, register_case, township_clerk, client
):
    case, other = register_case(), register_case()
    advisers.adviser_invite(actor=township_clerk, case_id=case.pk, adviser_id=lawyer.pk)
    with pytest.raises(ConflictError):
        advisers.adviser_invite(actor=township_clerk, case_id=case.pk, adviser_id=lawyer.pk)
    client.force_login(lawyer.user)
    assert client.get(reverse("registers:my_case", args=[case.pk])).status_code == 200
    assert client.get(reverse("registers:my_case", args=[other.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # no scope
    response = client.post(
        reverse("registers:my_case", args=[case.pk]),
        {"opinion": "建议依据民法典第二百八十八条协商"},
    )
    assert response.status_code == 302
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.data["adviser_opinion"] == lawyer.pk
    assert event.actor == lawyer.user


def test_only_advisers_of_the_village_can_be_invited(lawyer, register_case, township_clerk, tree):
    case = register_case(region=tree.other_village)
    with pytest.raises(InvalidInput):
        advisers.adviser_invite(actor=township_clerk, case_id=case.pk, adviser_id=lawyer.pk)


def test_the_case_panel_invites(lawyer, register_case, township_clerk, client):
    case = register_case()
    client.force_login(township_clerk)
    url = reverse("registers:case_panel", args=[case.pk])
    assert "陈律师" in client.get(url).content.decode()
    assert client.post(url, {"adviser": lawyer.pk}).status_code == 200
    assert lawyer.cases.filter(case=case).exists()
    assert client.get(reverse("registers:advisers")).status_code == 200
