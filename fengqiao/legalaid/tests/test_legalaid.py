"""Legal aid: the eligibility rules of 法律援助法 arts.31, 32, 34 and 42, referral from a case
with its papers, the centre's answer on the timeline, the portal check, and the clock that runs
on."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound, PermissionDeniedError
from fengqiao.legalaid import services
from fengqiao.legalaid.eligibility import Answers, Verdict, assess
from fengqiao.legalaid.models import HardshipStandard, LegalAidReferral, ReferralStatus
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "answers", "standard", "verdict"),
    [
        ("art.32 needs no hardship", Answers("none", circumstance="abuse"), None, Verdict.ELIGIBLE),
        ("a matter outside art.31", Answers("none"), Decimal(1000), Verdict.NOT_ELIGIBLE),
        (
            "art.42 group: income not checked",
            Answers("labour", exempt_group="migrant_worker", household_income=Decimal(99999)),
            Decimal(1000),
            Verdict.ELIGIBLE,
        ),
        (
            "within the standard",
            Answers("support", household_income=Decimal(3000), household_size=3),
            Decimal(1000),
            Verdict.ELIGIBLE,
        ),
        (
            "above the standard",
            Answers("support", household_income=Decimal(3001), household_size=3),
            Decimal(1000),
            Verdict.NOT_ELIGIBLE,
        ),
        ("no income given: the centre checks", Answers("injury"), Decimal(1000), Verdict.TO_VERIFY),
        (
            "no standard recorded",
            Answers("injury", household_income=Decimal(1)),
            None,
            Verdict.TO_VERIFY,
        ),
    ],
)
def test_eligibility_follows_the_law(_case, answers, standard, verdict):
    assert assess(answers, standard=standard).verdict == verdict


@pytest.fixture
def centre(tree):
    return Organisation.objects.create(
        name="湘阴县法律援助中心",
        kind=OrgKind.LEGAL_AID_CENTRE,
        region=tree.county,
        code="430624FY",
    )


@pytest.fixture
def centre_officer(make_actor, centre):
    return make_actor(Role.READ_ONLY, centre, username="fayuan")


def refer(actor, case, centre, **answers):
    values = {"matter": "labour", "household_income": "2000", "household_size": "2"}
    values.update(answers)
    return services.referral_from_case(
        actor=actor, case_id=case.pk, centre_id=centre.pk, answers=services.answers_parse(values)
    )


def test_a_case_is_referred_with_its_papers_and_the_clock_runs_on(
    register_case, township_clerk, centre, tree
):
    HardshipStandard.objects.create(region=tree.county, monthly_income_per_person=Decimal(1200))
    case = register_case(claims="支付拖欠工资")
    due = case.due_date
    referral = refer(township_clerk, case, centre)
    assert referral.verdict == Verdict.ELIGIBLE  # 1,000 a person, standard 1,200
    assert referral.papers["number"] == case.number
    assert [p["name"] for p in referral.papers["parties"]] == ["张三", "李四"]
    assert referral.applicant_name == "张三"
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (event.kind, event.data["legal_aid"]) == ("referral_recorded", referral.pk)
    case.refresh_from_db()
    assert (case.due_date, case.deadline_paused_at) == (due, None)
    with pytest.raises(ConflictError):
        refer(township_clerk, case, centre)


def test_only_the_centre_answers_and_its_answer_reaches_the_timeline(
    register_case, township_clerk, centre, centre_officer
):
    case = register_case()
    referral = refer(township_clerk, case, centre)
    with pytest.raises(NotFound):  # the referring clerk is not the centre
        services.referral_answer(
            actor=township_clerk, referral_id=referral.pk, granted=True, note=""
        )
    with pytest.raises(InvalidInput):
        services.referral_answer(
            actor=centre_officer, referral_id=referral.pk, granted=False, note=""
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    answered = services.referral_answer(
        actor=centre_officer, referral_id=referral.pk, granted=True, note="指派律师张律师"
    )
    assert answered.status == ReferralStatus.ACCEPTED
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.data == {"legal_aid": referral.pk, "status": "accepted", "note": "指派律师张律师"}


def test_a_viewer_cannot_refer_and_leaves_no_trace(register_case, make_actor, tree, centre):
    case = register_case()
    viewer = make_actor(Role.READ_ONLY, tree.township_centre)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(PermissionDeniedError):
        refer(viewer, case, centre)
    assert LegalAidReferral.objects.count() == 0
    assert CaseEvent.objects.filter(case=case).count() == events


def test_a_centre_that_does_not_serve_the_place_is_refused(register_case, township_clerk, tree):
    elsewhere = Organisation.objects.create(
        name="别县法律援助中心",
        kind=OrgKind.LEGAL_AID_CENTRE,
        region=tree.other_township,
        code="430624124FY",
    )
    with pytest.raises(InvalidInput):
        refer(township_clerk, register_case(), elsewhere)


def test_bad_answers_are_field_errors():
    with pytest.raises(InvalidInput) as error:
        services.answers_parse({"matter": "x", "household_income": "很多", "household_size": "0"})
    assert set(error.value.errors) == {"matter", "household_income", "household_size"}


def test_the_portal_check_sends_a_referral_with_the_phone_encrypted(
    client, centre, centre_officer, privacy_notice
):
    data = {
        "matter": "support",
        "circumstance": "none",
        "exempt_group": "none",
        "household_size": "1",
    }
    checked = client.post(reverse("legalaid_public:check"), data)
    assert checked.status_code == 200
    assert 'data-verdict="to_verify"' in checked.content.decode()
    sent = client.post(
        reverse("legalaid_public:check"),
        {
            **data,
            "send": "1",
            "centre": centre.pk,
            "name": "王五",
            "phone": "13912345678",
            "notice_version": str(privacy_notice.version),
            "consent": "legal_aid",
        },
    )
    assert sent.status_code == 200
    referral = LegalAidReferral.objects.get()
    assert (referral.source, referral.phone_masked) == ("portal", "139****5678")
    assert "13912345678" not in referral.phone_encrypted
    assert services.referral_phone(actor=centre_officer, referral_id=referral.pk) == "13912345678"


def test_the_case_panel_refers(client, register_case, township_clerk, centre):
    case = register_case()
    client.force_login(township_clerk)
    url = reverse("legalaid:case_panel", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "matter": "labour",
            "circumstance": "none",
            "exempt_group": "none",
            "household_size": "1",
            "centre": centre.pk,
        },
    )
    assert response.status_code == 200
    assert LegalAidReferral.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).deadline_paused_at is None


def _send(client, centre, **extra):
    data = {
        "matter": "support",
        "circumstance": "none",
        "exempt_group": "none",
        "household_size": "1",
        "send": "1",
        "centre": centre.pk,
        "name": "王五",
        "phone": "13912345678",
        **extra,
    }
    return client.post(reverse("legalaid_public:check"), data)


def test_the_portal_referral_without_the_separate_consent_is_refused_and_stores_nothing(
    client, centre, privacy_notice
):
    """Issue #16: the answers (economic situation, protected groups) and the phone went to the
    centre with no notice and no consent (个人信息保护法 arts.23, 29)."""
    from fengqiao.privacy.models import Consent

    page = client.post(
        reverse("legalaid_public:check"),
        {"matter": "support", "circumstance": "none", "exempt_group": "none", "household_size": 1},
    ).content.decode()
    assert privacy_notice.title in page
    assert 'id="consent_legal_aid"' in page
    refused = _send(client, centre, notice_version="1")
    assert refused.status_code == 422
    assert "consent_legal_aid" in refused.context["errors"]
    assert "勾选同意" in refused.content.decode()
    assert LegalAidReferral.objects.count() == 0
    assert Consent.objects.count() == 0
    # a box ticked against a notice since replaced is refused too
    from fengqiao.demo.privacy import JINGHE_NOTICE
    from fengqiao.privacy.services import notice_publish

    notice_publish(actor=None, **JINGHE_NOTICE)
    stale = _send(client, centre, notice_version="1", consent="legal_aid")
    assert stale.status_code == 422
    assert "已更新" in stale.context["errors"]["consent_legal_aid"][0]
    assert LegalAidReferral.objects.count() == 0
    assert Consent.objects.count() == 0
    sent = _send(client, centre, notice_version="2", consent="legal_aid")
    assert sent.status_code == 200
    consent = Consent.objects.get()
    assert (consent.purpose, consent.notice.version, consent.source) == (
        "legal_aid",
        2,
        "legalaid.portal",
    )
    assert consent.phone_masked == LegalAidReferral.objects.get().phone_masked


def test_a_referral_that_fails_after_the_consent_keeps_no_consent(
    client, centre, privacy_notice, monkeypatch
):
    from fengqiao.privacy.models import Consent

    def fail(*_args, **_kwargs):
        raise InvalidInput("失败", errors={"centre": ["失败"]})

    monkeypatch.setattr(services, "assess", fail)
    response = _send(client, centre, notice_version="1", consent="legal_aid")
    assert response.status_code == 422
    assert LegalAidReferral.objects.count() == 0
    assert Consent.objects.count() == 0
