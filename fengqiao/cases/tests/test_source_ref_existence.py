"""Issue #17: a 110 or 12345 number already registered by another village is answered like a
new number; the actor who may see the first record is still told."""

import pytest

from conftest import draft_for
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case, CaseLink, CaseLinkKind
from fengqiao.cases.services import case_draft_errors, case_register
from fengqiao.intake.duplicates import links_for_case

pytestmark = pytest.mark.django_db


def _draft(tree, org, region, ref):
    return draft_for(org, region, channel=Channel.POLICE_110, source_ref=ref)


@pytest.fixture
def first(make_actor, tree):
    worker = make_actor(Role.GRID_WORKER, tree.village_committee)
    return case_register(
        actor=worker, draft=_draft(tree, tree.village_committee, tree.village, "J20261201001")
    )


def test_another_villages_number_answers_like_a_new_one(first, make_actor, tree):
    stranger = make_actor(Role.GRID_WORKER, tree.other_village_committee)
    taken = _draft(tree, tree.other_village_committee, tree.other_village, "J20261201001")
    fresh = _draft(tree, tree.other_village_committee, tree.other_village, "J20261201999")
    assert case_draft_errors(actor=stranger, draft=taken) == case_draft_errors(
        actor=stranger, draft=fresh
    )
    case = case_register(actor=stranger, draft=taken)
    assert case.source_ref == ""  # one case per number: the first record keeps it
    link = CaseLink.objects.get()
    assert {link.case_id, link.other_id} == {first.pk, case.pk}
    assert (link.kind, link.automatic) == (CaseLinkKind.DUPLICATE, True)
    assert links_for_case(case, actor=stranger) == []  # the first record stays unseen


def test_who_sees_the_first_record_is_told(first, township_clerk, tree):
    draft = _draft(tree, tree.township_centre, tree.village, "J20261201001")
    assert "source_ref" in case_draft_errors(actor=township_clerk, draft=draft)
    assert Case.objects.count() == 1
