"""无讼村 / 无讼乡镇 evaluations: automatic criteria from the data, the rest with evidence, all
decided before confirming; the share of 无讼 villages against its yearly target."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.models import Evaluation, EvaluationCheck, ExternalFigure
from fengqiao.kpi.periods import Period
from fengqiao.kpi.selectors import compute
from fengqiao.kpi.services import check_record, evaluation_confirm, evaluation_open
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
YEAR = 2025
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def figures(region: Region, actor, year: int = YEAR, **values) -> None:
    for metric, value in values.items():
        ExternalFigure.objects.create(
            region=region,
            metric=metric,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            value=value,
            source="县法院",
            imported_by=actor,
        )


def pass_village(actor, village: Region) -> Evaluation:
    evaluation = evaluation_open(actor=actor, region_code=village.code, year=YEAR)
    check_record(
        actor=actor,
        evaluation_id=evaluation.pk,
        criterion="v_self_rules",
        met=True,
        note="村规民约第十二条",
    )
    check_record(
        actor=actor,
        evaluation_id=evaluation.pk,
        criterion="v_legal_leaders",
        met=None,
        counts=[1, 3],
        evidence=SimpleUploadedFile("名单.png", PNG),
    )
    return evaluation_confirm(actor=actor, evaluation_id=evaluation.pk)


@pytest.fixture
def data_for_villages(tree, township_clerk):
    city = Region.objects.get(code="430600000000")
    figures(city, township_clerk, YEAR - 1, city_prior_litigation_rate=20)  # 上一年度
    for village in (tree.village, tree.other_village):
        figures(
            village,
            township_clerk,
            court_civil_first=1,
            court_criminal_first=0,
            population=2000,
            intentional_crimes=0,
            serious_intentional_crimes=0,
            civil_to_criminal_homicides=0,
            mass_incidents=0,
            irregular_petitions=0,
        )


def test_automatic_criteria_are_decided_from_the_data(tree, township_clerk, data_for_villages):
    evaluation = evaluation_open(actor=township_clerk, region_code=tree.village.code, year=YEAR)
    checks = {c.criterion: c for c in evaluation.checks.all()}
    assert set(checks) == {
        "v_self_rules",
        "v_mediation_working",
        "v_legal_leaders",
        "v_no_crime",
        "v_no_mass_petition",
        "v_litigation_rate",
    }
    assert checks["v_no_crime"].met is True
    assert checks["v_litigation_rate"].met is True  # 1 ÷ 0.2 = 5 ≤ 10
    assert "5.00" in checks["v_litigation_rate"].detail
    assert checks["v_mediation_working"].met is True  # no dispute this year
    assert checks["v_self_rules"].met is None  # people decide, with evidence


def test_missing_figures_leave_a_criterion_undecided_and_block_confirmation(tree, township_clerk):
    evaluation = evaluation_open(actor=township_clerk, region_code=tree.village.code, year=YEAR)
    assert evaluation.checks.get(criterion="v_no_crime").met is None
    with pytest.raises(InvalidInput) as raised:
        evaluation_confirm(actor=township_clerk, evaluation_id=evaluation.pk)
    assert "v_no_crime" in raised.value.errors
    evaluation.refresh_from_db()
    assert evaluation.confirmed_at is None


def test_evidence_is_checked_and_a_bad_file_stores_nothing(tree, township_clerk, data_for_villages):
    evaluation = evaluation_open(actor=township_clerk, region_code=tree.village.code, year=YEAR)
    audits = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as raised:
        check_record(
            actor=township_clerk,
            evaluation_id=evaluation.pk,
            criterion="v_self_rules",
            met=True,
            evidence=SimpleUploadedFile("rules.png", b"<script>alert(1)</script>"),
        )
    assert raised.value.errors["evidence"] == ["请上传照片（JPEG、PNG）或 PDF 文件。"]
    check = EvaluationCheck.objects.get(evaluation=evaluation, criterion="v_self_rules")
    assert (check.met, check.evidence_name) == (None, "")
    assert AuditEntry.objects.count() == audits
    with pytest.raises(InvalidInput) as raised:  # both numbers are needed
        check_record(
            actor=township_clerk,
            evaluation_id=evaluation.pk,
            criterion="v_legal_leaders",
            met=None,
            counts=[1],
        )
    assert "counts" in raised.value.errors
    with pytest.raises(NotFound):  # automatic criteria are not decided by hand
        check_record(
            actor=township_clerk, evaluation_id=evaluation.pk, criterion="v_no_crime", met=True
        )


def test_counts_decide_the_legal_leaders_criterion(tree, township_clerk, data_for_villages):
    evaluation = evaluation_open(actor=township_clerk, region_code=tree.village.code, year=YEAR)
    check = check_record(
        actor=township_clerk,
        evaluation_id=evaluation.pk,
        criterion="v_legal_leaders",
        met=True,  # the numbers decide, not the click
        counts=[1, 2],
        note="法律明白人仅2名",
    )
    assert check.met is False


def test_a_confirmed_evaluation_passes_and_then_cannot_change(
    tree, township_clerk, data_for_villages
):
    evaluation = pass_village(township_clerk, tree.village)
    assert evaluation.passed is True
    with pytest.raises(InvalidInput):
        check_record(
            actor=township_clerk,
            evaluation_id=evaluation.pk,
            criterion="v_self_rules",
            met=False,
            note="改",
        )
    assert EvaluationCheck.objects.get(evaluation=evaluation, criterion="v_self_rules").met


def test_the_share_of_wusong_villages_against_the_yearly_target(
    tree, township_clerk, data_for_villages
):
    period = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert compute(BY_CODE["wusong_share"], tree.township, period).value is None
    pass_village(township_clerk, tree.village)
    figure = compute(BY_CODE["wusong_share"], tree.township, period)
    assert figure.value == Decimal("50.00")  # 1 of the township's 2 villages
    assert figure.target == Decimal(75)  # the 2025 target of the plan
    assert figure.met is False
    later = compute(
        BY_CODE["wusong_share"], tree.township, Period(date(2027, 1, 1), date(2027, 12, 31))
    )
    assert later.target == Decimal(80)


def test_only_the_unit_above_evaluates(tree, make_actor, client, township_clerk):
    mediator = make_actor(Role.MEDIATOR, tree.village_committee)
    with pytest.raises(NotFound):
        evaluation_open(actor=mediator, region_code=tree.village.code, year=YEAR)
    with pytest.raises(NotFound):  # the township does not evaluate itself
        evaluation_open(actor=township_clerk, region_code=tree.township.code, year=YEAR)
    assert not Evaluation.objects.exists()
    client.force_login(mediator)
    url = reverse("kpi:evaluation", args=[tree.village.code, YEAR])
    assert client.get(url).status_code == 404
    assert not Evaluation.objects.exists()


def test_the_checklist_page_records_a_criterion(tree, township_clerk, client, data_for_villages):
    client.force_login(township_clerk)
    url = reverse("kpi:evaluation", args=[tree.village.code, YEAR])
    page = client.get(url)
    assert page.status_code == 200
    assert "村规民约" in page.content.decode()
    response = client.post(url, {"criterion": "v_self_rules", "met": "yes", "note": ""})
    assert response.status_code == 422  # met needs a note or evidence
    assert "请提供证明材料或说明" in response.content.decode()
    response = client.post(url, {"criterion": "v_self_rules", "met": "yes", "note": "已写入"})
    assert response.status_code == 200
    assert EvaluationCheck.objects.get(criterion="v_self_rules").met is True
