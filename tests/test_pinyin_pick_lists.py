"""The remaining short lists of units and people offered to pick from are in pinyin order, as a
directory lists them (issue #16): 李 (li3) < 王 (wang2) < 张 (zhang1), where code-point order
puts 张 (U+5F20) first. Units sort in SQL on their stored ``name_key``, people in Python with
``core.collation.pinyin_key``, exactly as the case list and the assignment pickers do."""

import re

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.core.collation import pinyin_key
from fengqiao.intake.spreadsheet import import_vocabulary
from fengqiao.intake.views import LedgerUploadForm
from fengqiao.legalaid.selectors import centres_for
from fengqiao.mediation.roster_views import MediatorForm
from fengqiao.mediation.selectors import panel_for
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Mediator, MediatorKind, Organisation
from fengqiao.patrols.selectors import staff_for_region
from fengqiao.registers.models import LegalAdviser
from fengqiao.wellbeing.models import Counsellor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SURNAMES = ["张", "李", "王"]  # created in code-point order
PINYIN = ["李", "王", "张"]


def test_the_surnames_differ_in_pinyin_and_code_point_order():
    assert sorted(SURNAMES) == SURNAMES
    assert sorted(SURNAMES, key=pinyin_key) == PINYIN


def _units(kind: str, region, suffix: str, code: str) -> list[Organisation]:
    return [
        Organisation.objects.create(
            name=f"{surname}{suffix}", kind=kind, region=region, code=f"{code}{i}"
        )
        for i, surname in enumerate(SURNAMES)
    ]


def _surnames(labels, suffix: str) -> list[str]:
    return [str(label).removesuffix(suffix) for label in labels if str(label).endswith(suffix)]


def test_legal_aid_centres_are_offered_in_pinyin_order(tree):
    _units(OrgKind.LEGAL_AID_CENTRE, tree.county, "家法律援助中心", "430624FY")

    assert _surnames((c.name for c in centres_for(tree.village)), "家法律援助中心") == PINYIN
    assert _surnames((c.name for c in centres_for(None)), "家法律援助中心") == PINYIN


def test_the_rosters_unit_and_court_lists_are_in_pinyin_order(tree, township_clerk):
    _units(OrgKind.CENTRE, tree.township, "家调解工作室", "430624122G")
    _units(OrgKind.COURT, tree.county, "家人民法庭", "430624FT")

    form = MediatorForm(actor=township_clerk)

    units = [label for _pk, label in form.fields["org_id"].choices]
    assert _surnames(units, "家调解工作室") == PINYIN
    courts = [label for _pk, label in form.fields["court_id"].choices]
    assert _surnames(courts, "家人民法庭") == PINYIN


def test_the_ledger_imports_units_are_in_pinyin_order(tree):
    units = _units(OrgKind.CENTRE, tree.township, "家调解工作室", "430624122G")
    clerk = UserFactory(roles=[(Role.INTAKE_CLERK, unit) for unit in units])

    form = LedgerUploadForm(actor=clerk)

    labels = [label for _pk, label in form.fields["org_id"].choices]
    assert _surnames(labels, "家调解工作室") == PINYIN


def _people(role: str, org) -> None:
    for surname in SURNAMES:
        UserFactory(full_name=f"{surname}明", roles=[(role, org)])


def test_the_hazard_and_meeting_owner_lists_are_in_pinyin_order(tree):
    _people(Role.MEDIATOR, tree.village_committee)

    names = [u.full_name for u in staff_for_region(tree.village)]

    assert _surnames(names, "明") == PINYIN


def test_the_mediators_a_ledger_may_name_are_in_pinyin_order(tree, township_clerk):
    _people(Role.MEDIATOR, tree.township_centre)

    units = {
        name: people for name, _code, people, _history in import_vocabulary(township_clerk).units
    }

    assert _surnames(units[tree.township_centre.name], "明") == PINYIN


def test_the_session_forms_mediators_are_in_pinyin_order(register_case, township_clerk, tree):
    for surname in SURNAMES:
        Mediator.objects.create(
            name=f"{surname}明", kind=MediatorKind.PART_TIME, org=tree.village_committee
        )

    panel = panel_for(actor=township_clerk, case_id=register_case().pk)

    assert _surnames((m.name for m in panel.mediators), "明") == PINYIN


def _options(page: str, select: str) -> list[str]:
    block = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S)
    assert block is not None, page
    return re.findall(r"<option[^>]*>([^<（]*)", block.group(1))


def test_the_counsellors_offered_for_a_referral_are_in_pinyin_order(
    client, register_case, township_clerk
):
    for surname in SURNAMES:
        Counsellor.objects.create(name=f"{surname}明")
    case = register_case()
    client.force_login(township_clerk)

    page = client.get(reverse("wellbeing:case_panel", args=[case.pk])).content.decode()

    assert _surnames(_options(page, "counsellor"), "明") == PINYIN


def test_the_legal_advisers_offered_for_a_case_are_in_pinyin_order(
    client, register_case, township_clerk, tree
):
    for surname in SURNAMES:
        LegalAdviser.objects.create(name=f"{surname}律师", duty_days="每周二").villages.set(
            [tree.village]
        )
    case = register_case()
    client.force_login(township_clerk)

    page = client.get(reverse("registers:case_panel", args=[case.pk])).content.decode()

    assert _surnames(_options(page, "adviser"), "律师") == PINYIN
