"""网格员上报 through the view: the worker's grid gives the village, photos and location go with
the case, a bad photo or missing text registers nothing and keeps what was typed, and a retried
submit does not make a second case."""

import io

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Attachment, Case, CaseEvent
from fengqiao.intake.models import IntakeSubmission

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def worker(make_actor, tree):
    user = make_actor(Role.GRID_WORKER, tree.village_committee, username="wangge")
    tree.grid.workers.add(user)
    return user


def photo(content: bytes = PNG, name: str = "IMG_0001.png") -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def _token(client) -> str:
    response = client.get(reverse("intake:grid_report"))
    assert response.status_code == 200
    return response.context["values"]["token"]


def _data(tree, token: str, **overrides):
    data = {
        "token": token,
        "grid": tree.grid.code,
        "description": "村民甲乙因排水沟堵塞发生争吵，可能升级。",
        "applicant_name": "甲某",
        "applicant_phone": "13800138001",
        "respondent_name": "乙某",
        "respondent_phone": "",
        "latitude": "28.683512",
        "longitude": "112.889710",
    }
    data.update(overrides)
    return data


def test_the_form_preselects_the_workers_grid_and_uses_the_camera(client, tree, worker):
    client.force_login(worker)
    response = client.get(reverse("intake:grid_report"))
    html = response.content.decode()
    assert response.context["values"]["grid"] == tree.grid.code
    assert 'capture="environment"' in html
    assert 'accept="image/*"' in html
    assert "网格上报" in html


def test_a_valid_report_registers_the_case_with_photos_and_location(client, tree, worker):
    client.force_login(worker)
    token = _token(client)
    response = client.post(
        reverse("intake:grid_report"),
        {**_data(tree, token), "photos": [photo(), photo(name="IMG_0002.png")]},
    )
    case = Case.objects.get(channel=Channel.GRID, source_ref=token)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.registered_by == worker
    assert case.region == tree.village
    assert case.grid == tree.grid
    assert case.registering_org == tree.village_committee
    files = Attachment.objects.filter(case=case)
    assert [f.source for f in files] == ["grid", "grid"]
    assert all(f.uploaded_by == worker for f in files)
    payload = IntakeSubmission.objects.get(case=case).payload()
    assert (payload["latitude"], payload["longitude"]) == ("28.683512", "112.889710")
    panel = client.get(reverse("portal:evidence_panel", args=[case.pk]))
    assert "28.683512, 112.889710" in panel.content.decode()
    # a retried submit (same token) opens the same case
    again = client.post(reverse("intake:grid_report"), _data(tree, token))
    assert again.status_code == 302
    assert Case.objects.filter(channel=Channel.GRID).count() == 1


def test_a_bad_photo_registers_nothing_and_keeps_the_text(client, tree, worker):
    client.force_login(worker)
    token = _token(client)
    events = CaseEvent.objects.count()
    response = client.post(
        reverse("intake:grid_report"),
        {
            **_data(tree, token),
            "photos": [photo(), photo(b"<svg onload=alert(1)>", "IMG_0003.jpg")],
        },
    )
    assert response.status_code == 422
    assert "IMG_0003.jpg" in response.context["errors"]["photos"][0]
    assert "排水沟" in response.content.decode()
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert IntakeSubmission.objects.count() == 0
    assert CaseEvent.objects.count() == events


def test_missing_text_and_a_foreign_grid_are_field_errors(client, tree, worker, make_actor):
    client.force_login(worker)
    token = _token(client)
    response = client.post(
        reverse("intake:grid_report"),
        _data(tree, token, description="", applicant_name="", latitude="abc"),
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert {"description", "applicant_name", "location"} <= set(errors)
    assert "请" in errors["description"][0]
    other = make_actor(Role.GRID_WORKER, tree.other_village_committee)
    client.force_login(other)
    response = client.post(reverse("intake:grid_report"), _data(tree, token))
    assert response.status_code == 422
    assert "grid" in response.context["errors"]
    assert Case.objects.count() == 0


def test_bad_phone_is_reported_on_the_form_field(client, tree, worker):
    client.force_login(worker)
    token = _token(client)
    response = client.post(
        reverse("intake:grid_report"), _data(tree, token, applicant_phone="12345")
    )
    assert response.status_code == 422
    assert "applicant_phone" in response.context["errors"]
    assert Case.objects.count() == 0
