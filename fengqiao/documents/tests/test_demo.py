"""The demo step generates one agreement for a case whose written agreement is in force."""

import random

import pytest

from fengqiao.accounts.services import system_actor
from fengqiao.demo.documents import demo_step
from fengqiao.documents.models import GeneratedDocument

pytestmark = pytest.mark.django_db


def test_demo_step_generates_the_agreement_as_its_mediator(resolved_case, director):
    lines = demo_step(system_actor(), random.Random(1))
    document = GeneratedDocument.objects.get()
    assert (document.case, document.kind, document.format) == (resolved_case, "agreement", "docx")
    assert document.generated_by == director
    assert resolved_case.number in lines[0]


def test_demo_step_without_an_agreement_does_nothing(tree):
    assert demo_step(system_actor(), random.Random(1)) == []
    assert not GeneratedDocument.objects.exists()
