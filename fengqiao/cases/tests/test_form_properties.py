"""Property test of the register form (hypothesis): whatever a person types, the page answers
with the case or with field errors — never a server error — and a refused form stores nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.audit.models import AuditEntry
from fengqiao.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=60
)
FIELDS = st.fixed_dictionaries(
    {
        "title": TEXT,
        "description": TEXT,
        "channel": st.sampled_from(["walk_in", "grid", "nonsense", ""]),
        "category": st.sampled_from(["housing_homestead", "labour", "x", ""]),
        "region": st.sampled_from(["430624122201", "430624124201", "999", ""]),
        "amount": st.one_of(TEXT, st.sampled_from(["1e999", "-1", "12.345", "NaN", "100"])),
        "people_count": st.one_of(TEXT, st.sampled_from(["0", "-3", "2", "99999999999"])),
        "occurred_on": st.one_of(TEXT, st.sampled_from(["2999-01-01", "2026-02-30", "2025-05-05"])),
        "risk_level": st.sampled_from(["low", "high", "extreme"]),
        "parties-0-name": TEXT,
        "parties-0-role": st.sampled_from(["applicant", "respondent", "boss"]),
        "parties-0-kind": st.sampled_from(["person", "organisation", ""]),
        "parties-0-id_number": st.one_of(TEXT, st.just("430624199001011233")),
        "parties-0-phone": st.one_of(TEXT, st.just("13800138000")),
        "parties-0-region": st.one_of(TEXT, st.just("430624122202")),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=FIELDS)
def test_the_register_form_never_breaks(fields, client, township_clerk, tree):
    client.force_login(township_clerk)
    before = (Case.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count())
    data = {
        "org_id": str(tree.township_centre.pk),
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "50",
        **fields,
    }
    response = client.post(reverse("intake:register"), data)
    assert response.status_code in (200, 302, 400, 422)
    if response.status_code != 302:
        after = (Case.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count())
        assert after == before
