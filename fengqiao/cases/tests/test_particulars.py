"""Party particulars (issue #14 item 3): validated, encrypted at rest, masked on pages, revealed
only with an audit, completed by whoever mediates, and the identifiers they rest on checked."""

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from conftest import complete_particulars
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import particulars
from fengqiao.cases.choices import CaseStatus, Gender, IdType, PartyKind, PartyRole
from fengqiao.cases.models import Case, Party
from fengqiao.cases.party_services import ParticularsDraft, party_particulars_record
from fengqiao.cases.privacy import parties_anonymise_expired
from fengqiao.cases.services import PartyDraft
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def mediating_case(register_case, township_clerk) -> Case:
    case = register_case()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING, assignee=township_clerk)
    case.refresh_from_db()
    return case


def _party(case: Case, name: str) -> Party:
    return case.parties.get(name=name)


def test_gender_and_birth_date_default_from_the_id_number_at_registration(register_case):
    case = register_case()
    zhang = _party(case, "张三")
    assert zhang.id_type == IdType.RESIDENT_ID
    held = zhang.particulars()
    assert (held.gender, held.birth_date) == (Gender.MALE, date(1990, 1, 1))
    # intake asks for no more: the rest is missing, and said so
    assert particulars.missing(zhang) == ["ethnicity", "occupation", "address"]


def test_bare_names_lack_every_particular_the_law_asks_for(register_case):
    # the finding: parties were names only, and nothing said what was missing
    li = _party(register_case(), "李四")
    assert particulars.missing(li) == [
        "gender",
        "ethnicity",
        "birth_date",
        "occupation",
        "address",
        "id_number",
    ]
    assert particulars.missing_message(li) == (
        "当事人李四缺少：性别、民族、出生日期、职业或工作单位、住址、证件类型与号码"
        "（人民调解法第二十九条）。"
    )


def test_particulars_are_encrypted_at_rest(mediating_case, township_clerk):
    complete_particulars(mediating_case, township_clerk)
    li = _party(mediating_case, "李四")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT particulars_encrypted, id_number_encrypted FROM cases_party WHERE id = %s",
            [li.pk],
        )
        raw_particulars, raw_id = cursor.fetchone()
    for plain in ("土家族", "个体工商户", "1975-06-18", "male"):
        assert plain not in raw_particulars
    assert "43062419750618451X" not in raw_id
    assert raw_particulars.startswith("k1:") or ":" in raw_particulars
    assert li.particulars().ethnicity == "土家族"  # and it decrypts


def test_completing_particulars_is_audited_by_field_name_only(mediating_case, township_clerk):
    li = _party(mediating_case, "李四")
    party_particulars_record(
        actor=township_clerk,
        case_id=mediating_case.pk,
        party_id=li.pk,
        draft=ParticularsDraft(
            ethnicity="汉族",
            occupation="教师",
            address="静河村五组",
            id_number="43062419750618451X",
        ),
    )
    li.refresh_from_db()
    held = li.particulars()
    assert (held.gender, held.birth_date) == (Gender.MALE, date(1975, 6, 18))  # from the number
    assert li.id_type == IdType.RESIDENT_ID
    assert particulars.missing(li) == []
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CHANGED, extra__party=li.pk)
    assert entry.extra["particulars"] == [
        "address",
        "birth_date",
        "ethnicity",
        "gender",
        "id_number",
        "id_type",
        "occupation",
    ]
    assert "教师" not in str(entry.extra)
    assert "汉族" not in str(entry.extra)
    # an empty field keeps what is held
    party_particulars_record(
        actor=township_clerk,
        case_id=mediating_case.pk,
        party_id=li.pk,
        draft=ParticularsDraft(occupation="退休教师"),
    )
    li.refresh_from_db()
    assert (li.particulars().ethnicity, li.particulars().occupation) == ("汉族", "退休教师")
    assert li.address_plain() == "静河村五组"
    assert li.address_masked == "静河村五组"  # nothing finer than the 组 to hide


@pytest.mark.parametrize(
    ("_case", "draft", "field"),
    [
        ("check character", ParticularsDraft(id_number="430624197506184511"), "id_number"),
        ("no such birth day", ParticularsDraft(id_number="430624199002301232"), "id_number"),
        ("gender against the number", ParticularsDraft(gender=Gender.FEMALE), "gender"),
        (
            "birth date against the number",
            ParticularsDraft(birth_date=date(1991, 1, 1)),
            "birth_date",
        ),
        ("not one of the 56", ParticularsDraft(ethnicity="火星族"), "ethnicity"),
        ("born tomorrow", ParticularsDraft(birth_date=date(2999, 1, 1)), "birth_date"),
        (
            "a person has no credit code",
            ParticularsDraft(id_type=IdType.CREDIT_CODE, id_number="91110000600037341L"),
            "id_type",
        ),
    ],
)
def test_invalid_particulars_are_refused_in_chinese(
    _case, draft, field, mediating_case, township_clerk
):
    zhang = _party(mediating_case, "张三")  # holds 430624199001011233: male, 1990-01-01
    before = zhang.particulars_encrypted
    with pytest.raises(InvalidInput) as refused:
        party_particulars_record(
            actor=township_clerk, case_id=mediating_case.pk, party_id=zhang.pk, draft=draft
        )
    assert field in refused.value.errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.errors[field][0])
    zhang.refresh_from_db()
    assert zhang.particulars_encrypted == before
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()


def test_an_organisation_needs_its_credit_code_and_representative(register_case, township_clerk):
    case = register_case(
        parties=(
            PartyDraft(role=PartyRole.APPLICANT, name="张三", phone="13800138000"),
            PartyDraft(
                role=PartyRole.RESPONDENT,
                name="湘阴县静河建材有限公司",
                kind=PartyKind.ORGANISATION,
            ),
        )
    )
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MEDIATING)
    firm = _party(case, "湘阴县静河建材有限公司")
    assert particulars.missing(firm) == [
        "address",
        "credit_code",
        "representative",
        "representative_title",
    ]
    with pytest.raises(InvalidInput) as refused:
        party_particulars_record(
            actor=township_clerk,
            case_id=case.pk,
            party_id=firm.pk,
            draft=ParticularsDraft(id_type=IdType.CREDIT_CODE, id_number="91110000600037341M"),
        )
    assert "统一社会信用代码" in refused.value.errors["id_number"][0]
    party_particulars_record(
        actor=township_clerk,
        case_id=case.pk,
        party_id=firm.pk,
        draft=ParticularsDraft(
            address="湘阴县静河镇工业园8号",
            id_type=IdType.CREDIT_CODE,
            id_number="91110000600037341L",
            representative="周建华",
            representative_title="总经理",
        ),
    )
    firm.refresh_from_db()
    assert particulars.missing(firm) == []
    assert firm.particulars_masked["representative"] == "周**"


def test_only_those_who_mediate_may_complete_particulars(
    mediating_case, make_actor, tree, township_clerk
):
    zhang = _party(mediating_case, "张三")
    viewer = make_actor(Role.READ_ONLY, tree.township_centre, username="viewer")
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="outsider")
    draft = ParticularsDraft(ethnicity="汉族")
    with pytest.raises(PermissionDeniedError):
        party_particulars_record(
            actor=viewer, case_id=mediating_case.pk, party_id=zhang.pk, draft=draft
        )
    with pytest.raises(NotFound):
        party_particulars_record(
            actor=outsider, case_id=mediating_case.pk, party_id=zhang.pk, draft=draft
        )
    zhang.refresh_from_db()
    assert "ethnicity" not in zhang.particulars_masked
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()


def test_the_case_page_shows_particulars_masked_and_the_form(
    client, mediating_case, township_clerk
):
    complete_particulars(mediating_case, township_clerk)
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[mediating_case.pk])).content.decode()
    li = _party(mediating_case, "李四")
    cell = re.search(rf'id="party-{li.pk}-particulars">(.*?)</td>', page, re.S)
    assert cell is not None
    assert "土家族" not in cell.group(1)
    assert 'value="土家族" selected' not in page  # the form is never filled with held values
    for plain in ("个体工商户", "1975年", "43062419750618451X"):
        assert plain not in page
    assert "197*年" in page
    assert "个**" in page
    assert "已齐全" in page
    assert 'name="party-' in page  # the form for the mediator


def test_the_page_says_what_is_still_to_record(client, mediating_case, township_clerk):
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[mediating_case.pk])).content.decode()
    assert "待补充：" in page
    assert "民族" in page


def test_the_form_records_particulars_and_reports_errors(client, mediating_case, township_clerk):
    li = _party(mediating_case, "李四")
    client.force_login(township_clerk)
    url = reverse("cases:particulars", args=[mediating_case.pk, li.pk])
    prefix = f"party-{li.pk}-"
    bad = client.post(url, {prefix + "id_type": "resident_id", prefix + "id_number": "123"})
    assert bad.status_code == 422
    assert "居民身份证号码应为 18 位" in bad.content.decode()
    good = client.post(
        url,
        {
            prefix + "ethnicity": "苗族",
            prefix + "occupation": "村医",
            prefix + "address": "静河村二组",
            prefix + "id_type": "resident_id",
            prefix + "id_number": "43062419750618451X",
        },
    )
    assert good.status_code == 200
    assert "当事人基本情况已保存" in good.content.decode()
    li.refresh_from_db()
    assert li.particulars().ethnicity == "苗族"


def test_reveal_shows_particulars_and_is_audited(client, mediating_case, township_clerk):
    complete_particulars(mediating_case, township_clerk)
    li = _party(mediating_case, "李四")
    client.force_login(township_clerk)
    response = client.post(
        reverse("cases:reveal", args=[mediating_case.pk, li.pk]), {"reason": "制作调解协议"}
    )
    body = response.content.decode()
    assert "土家族" in body
    assert "个体工商户" in body
    assert "1975-06-18" in body
    entry = AuditEntry.objects.get(action=AuditAction.PARTY_PII_VIEWED)
    assert entry.extra == {"party": li.pk, "reason": "制作调解协议"}


def test_anonymisation_erases_particulars(mediating_case, township_clerk, settings):
    complete_particulars(mediating_case, township_clerk)
    settings.FENGQIAO_PARTY_RETENTION_YEARS = 0
    Case.objects.filter(pk=mediating_case.pk).update(status=CaseStatus.CLOSED)
    parties_anonymise_expired(actor=township_clerk)
    for party in mediating_case.parties.all():
        assert party.particulars_encrypted == ""
        assert party.particulars_masked == {}


def test_the_address_is_encrypted_at_rest_masked_on_screen_and_revealed_with_audit(
    mediating_case, township_clerk, client
):
    """住址 is personal data like the ID number (issue #14): it was a plain column shown in
    full on every page."""
    from django.db import connection

    from fengqiao.audit.models import AuditEntry
    from fengqiao.cases.services import party_reveal

    zhang = mediating_case.parties.get(name="张三")
    party_particulars_record(
        actor=township_clerk,
        case_id=mediating_case.pk,
        party_id=zhang.pk,
        draft=ParticularsDraft(address="湖南省湘阴县静河镇静河村三组12号"),
    )
    zhang.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_party WHERE id = %s", [zhang.pk])
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert "12号" not in stored
    assert zhang.address_masked == "湖南省湘阴县静河镇静河村三组***"
    client.force_login(township_clerk)
    page = client.get(f"/cases/{mediating_case.pk}/").content.decode()
    assert "三组12号" not in page
    before = AuditEntry.objects.count()
    shown = party_reveal(
        actor=township_clerk, case_id=mediating_case.pk, party_id=zhang.pk, reason="核实住址"
    )
    assert shown["address"] == "湖南省湘阴县静河镇静河村三组12号"
    assert AuditEntry.objects.count() == before + 1
