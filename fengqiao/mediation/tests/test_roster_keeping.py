"""Keeping the roster in the browser: a new entry, a change audited field by field, availability;
an invited mediator needs a court; nobody outside the organisation's region keeps its roster."""

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.mediation import roster_services
from fengqiao.orgs.models import Mediator, MediatorKind, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def court(tree):
    return Organisation.objects.create(
        code="430624FY", name="湘阴县人民法院", kind="court", region=tree.county
    )


@pytest.fixture
def wang(director, tree):
    return roster_services.mediator_create(
        actor=director, org_id=tree.township_centre.pk, name="王调解", kind=MediatorKind.FULL_TIME
    )


def test_a_new_entry_from_the_form(client, director, tree):
    client.force_login(director)
    assert "mediator-new" in client.get(reverse("mediation:roster")).content.decode()
    response = client.post(
        reverse("mediation:mediator_new"),
        {
            "name": "刘桂兰",
            "kind": MediatorKind.FULL_TIME,
            "org_id": tree.township_centre.pk,
            "specialties": ["housing_homestead"],
            "dialects": "湘阴话",
        },
    )
    mediator = Mediator.objects.get(name="刘桂兰")
    assert response.status_code == 302
    assert response["Location"] == reverse("mediation:mediator", args=[mediator.pk])
    assert mediator.specialties == ["housing_homestead"]
    assert AuditEntry.objects.filter(
        action=AuditAction.RECORD_CREATED, target_id=str(mediator.pk)
    ).exists()


def test_an_invited_mediator_without_a_court_is_a_field_error(client, director, tree, court):
    client.force_login(director)
    response = client.post(
        reverse("mediation:mediator_new"),
        {"name": "赵特邀", "kind": MediatorKind.INVITED, "org_id": tree.township_centre.pk},
    )
    assert response.status_code == 422
    assert "法院" in response.content.decode()
    assert 'value="赵特邀"' in response.content.decode()  # nothing typed is lost
    assert not Mediator.objects.filter(name="赵特邀").exists()
    ok = client.post(
        reverse("mediation:mediator_new"),
        {
            "name": "赵特邀",
            "kind": MediatorKind.INVITED,
            "org_id": tree.township_centre.pk,
            "court_id": court.pk,
        },
    )
    assert ok.status_code == 302
    assert Mediator.objects.get(name="赵特邀").court == court


def test_a_change_is_audited_field_by_field_and_leaving_keeps_the_history(client, director, wang):
    client.force_login(director)
    page = client.get(reverse("mediation:mediator", args=[wang.pk])).content.decode()
    assert "mediator-edit" in page
    response = client.post(
        reverse("mediation:mediator_edit", args=[wang.pk]),
        {"name": "王调解", "kind": MediatorKind.PART_TIME, "dialects": "汨罗话"},
    )
    assert response.status_code == 302
    wang.refresh_from_db()
    assert (wang.kind, wang.dialects, wang.is_active) == (MediatorKind.PART_TIME, "汨罗话", False)
    change = AuditEntry.objects.get(action=AuditAction.RECORD_CHANGED, target_id=str(wang.pk))
    assert change.changes["kind"] == [MediatorKind.FULL_TIME, MediatorKind.PART_TIME]
    assert change.changes["is_active"] == [True, False]
    assert "王调解" not in client.get(reverse("mediation:roster")).content.decode()
    assert client.get(reverse("mediation:mediator", args=[wang.pk])).status_code == 200


def test_availability_with_a_reason(client, director, wang):
    client.force_login(director)
    client.post(
        reverse("mediation:mediator_availability", args=[wang.pk]),
        {"available": "0", "note": "外出培训至12月1日"},
    )
    wang.refresh_from_db()
    assert (wang.is_available, wang.availability_note) == (False, "外出培训至12月1日")
    client.post(reverse("mediation:mediator_availability", args=[wang.pk]), {"available": "1"})
    wang.refresh_from_db()
    assert wang.is_available


def test_outside_the_region_or_without_assignment_nothing_changes(
    client, wang, outsider, make_actor, tree
):
    grid = make_actor(Role.GRID_WORKER, tree.village_committee)
    for person in (outsider, grid):
        client.force_login(person)
        edit = client.post(
            reverse("mediation:mediator_edit", args=[wang.pk]),
            {"name": "改名", "kind": MediatorKind.FULL_TIME, "is_active": "on"},
        )
        assert edit.status_code == 404
        off = client.post(
            reverse("mediation:mediator_availability", args=[wang.pk]), {"available": "0"}
        )
        assert off.status_code == 404
    created = client.post(
        reverse("mediation:mediator_new"),
        {"name": "越权", "kind": MediatorKind.FULL_TIME, "org_id": tree.township_centre.pk},
    )
    assert created.status_code == 422
    wang.refresh_from_db()
    assert (wang.name, wang.is_available) == ("王调解", True)
    assert not Mediator.objects.filter(name="越权").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()
