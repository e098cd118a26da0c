from datetime import date, timedelta

import pytest
from django.db.models import Q
from docx import Document

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.services import PartyDraft
from fengqiao.core.exceptions import InvalidInput, NotFound, PermissionDeniedError
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.patrols import meetings, services
from fengqiao.patrols.documents import assessment_docx, summary_xlsx
from fengqiao.patrols.models import (
    Hazard,
    IncidentRisk,
    MissingReport,
    PatrolEntry,
    PatrolReport,
    PatrolRound,
    PatrolSchedule,
    PublicAttitude,
    RoundKind,
    SignSide,
)

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 16)


@pytest.fixture
def director(make_actor, tree: Tree):
    return make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)


@pytest.fixture
def schedule(tree: Tree):
    return PatrolSchedule.objects.create(region=tree.township)


def _entry() -> services.EntryDraft:
    return services.EntryDraft(
        checked_on=MONDAY,
        checker="村调委会 王五",
        situation="两户因排水沟发生争执",
        measures="上门调解",
    )


def test_round_generation_is_idempotent_per_period(director, schedule, tree):
    first = services.rounds_generate(actor=director, on=MONDAY)
    again = services.rounds_generate(actor=director, on=MONDAY + timedelta(days=3))
    assert again == []
    weekly = PatrolRound.objects.filter(kind=RoundKind.WEEKLY)
    assert {r.region for r in weekly} == {tree.village, tree.other_village}
    assert PatrolRound.objects.filter(kind=RoundKind.MONTHLY, region=tree.township).count() == 1
    assert len(first) == 3
    services.rounds_generate(actor=director, on=MONDAY + timedelta(days=7))
    assert PatrolRound.objects.filter(kind=RoundKind.WEEKLY).count() == 4


def test_zero_report_is_not_flagged_missing_one_is(director, schedule, tree, village_mediator):
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.MONTHLY)
    report = services.report_file(
        actor=village_mediator, round_id=rnd.pk, village=tree.village.code, entries=[]
    )
    assert report.is_zero
    flags = services.missing_reports_flag(actor=director, today=rnd.deadline + timedelta(days=1))
    flagged = {(f.round_id, f.village_id) for f in flags}
    assert (rnd.pk, tree.other_village.pk) in flagged
    assert (rnd.pk, tree.village.pk) not in flagged
    # flagging is once
    assert (
        services.missing_reports_flag(actor=director, today=rnd.deadline + timedelta(days=2)) == []
    )
    assert MissingReport.objects.filter(round=rnd).count() == 1


def test_entry_to_case_keeps_link_both_ways(director, schedule, tree, village_mediator):
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    report = services.report_file(
        actor=village_mediator, round_id=rnd.pk, village=tree.village.code, entries=[_entry()]
    )
    entry = report.entries.get()
    case = services.entry_to_case(
        actor=director,
        entry_id=entry.pk,
        org_id=tree.township_centre.pk,
        category="housing_homestead",
        parties=(PartyDraft(role=PartyRole.APPLICANT, name="张三"),),
    )
    entry.refresh_from_db()
    assert entry.case == case
    assert case.patrol_entry == entry
    assert case.channel == Channel.PATROL
    with pytest.raises(InvalidInput):
        services.entry_to_case(
            actor=director,
            entry_id=entry.pk,
            org_id=tree.township_centre.pk,
            category="housing_homestead",
            parties=(PartyDraft(role=PartyRole.APPLICANT, name="张三"),),
        )


def test_double_countersign(director, schedule, tree, village_mediator, make_actor, police_station):
    """双背书 (seed 000): the 派出所所长 and the 村（社区）党组织书记 sign, nobody else."""
    head = make_actor(Role.POLICE_STATION_HEAD, police_station)
    secretary = make_actor(Role.VILLAGE_SECRETARY, tree.village_committee)
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    report = services.report_file(
        actor=village_mediator, round_id=rnd.pk, village=tree.village.code, entries=[_entry()]
    )
    with pytest.raises(PermissionDeniedError):  # a township director is neither side
        services.report_countersign(actor=director, report_id=report.pk, side=SignSide.VILLAGE)
    with pytest.raises(PermissionDeniedError):
        services.report_countersign(actor=secretary, report_id=report.pk, side="police")
    with pytest.raises(PermissionDeniedError):
        services.report_countersign(actor=head, report_id=report.pk, side=SignSide.VILLAGE)
    services.report_countersign(actor=head, report_id=report.pk, side=SignSide.POLICE)
    services.report_countersign(actor=secretary, report_id=report.pk, side=SignSide.VILLAGE)
    sigs = {s.side: s.signer for s in report.signatures.all()}
    assert sigs == {"police": head, "village": secretary}
    with pytest.raises(InvalidInput):
        services.report_countersign(actor=head, report_id=report.pk, side=SignSide.POLICE)


def test_only_the_two_named_posts_may_countersign(
    director, schedule, tree, village_mediator, make_actor, police_station
):
    """Found: any police liaison signed for the station head, and any village account (the
    committee's mediator) for the party secretary; a head or secretary elsewhere may not either.
    A refused signature leaves no trace."""
    liaison = make_actor(Role.POLICE_LIAISON, police_station)
    other_secretary = make_actor(Role.VILLAGE_SECRETARY, tree.other_village_committee)
    other_station = Organisation.objects.create(
        name="石塘派出所",
        kind=OrgKind.POLICE_STATION,
        region=tree.other_township,
        code="430624124PCS",
    )
    other_head = make_actor(Role.POLICE_STATION_HEAD, other_station)
    head_at_centre = make_actor(Role.POLICE_STATION_HEAD, tree.township_centre)
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    report = services.report_file(
        actor=village_mediator, round_id=rnd.pk, village=tree.village.code, entries=[_entry()]
    )
    refused = [
        (liaison, SignSide.POLICE),
        (head_at_centre, SignSide.POLICE),  # the post, but not at a police station
        (village_mediator, SignSide.VILLAGE),
    ]
    for actor, side in refused:
        assert services.sides_to_sign(actor, report) == []
        with pytest.raises(PermissionDeniedError):
            services.report_countersign(actor=actor, report_id=report.pk, side=side)
    for outsider, side in ((other_secretary, SignSide.VILLAGE), (other_head, SignSide.POLICE)):
        assert services.sides_to_sign(outsider, report) == []
        with pytest.raises(NotFound):  # another village's secretary, another township's head
            services.report_countersign(actor=outsider, report_id=report.pk, side=side)
    assert not report.signatures.exists()


def test_summary_xlsx_has_title_unit_period_and_columns(director, schedule, tree, village_mediator):
    import io

    from openpyxl import load_workbook

    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.MONTHLY)
    services.report_file(
        actor=village_mediator, round_id=rnd.pk, village=tree.village.code, entries=[_entry()]
    )
    ws = load_workbook(io.BytesIO(summary_xlsx(rnd, villages=Q()))).active
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert "排查" in values[0][0]
    assert "静河镇" in values[1][0]
    assert values[3] == ["排查时间", "村名", "排查单位或排查人", "矛盾情况", "化解措施", "备注"]
    assert values[4][1] == "静河村"


def test_hazard_level_and_status_history(director, tree, village_mediator):
    h = services.hazard_register(
        actor=village_mediator,
        draft=services.HazardDraft(
            region=tree.village.code,
            title="工程款拖欠",
            category="labour",
            people_count=12,
            people_description="某工地务工人员",
            level="high",
            responsible_id=director.pk,
        ),
    )
    services.hazard_update(
        actor=director, hazard_id=h.pk, level="medium", status="controlling", measures="约谈包工头"
    )
    services.hazard_update(
        actor=director, hazard_id=h.pk, level="low", status="resolved", measures="工资已发放"
    )
    rows = list(h.history.values_list("level", "status"))
    assert rows == [("high", "open"), ("medium", "controlling"), ("low", "resolved")]


def test_sensitive_period_raises_daily_rounds(director, tree):
    services.sensitive_period_add(
        actor=director,
        region=tree.township.code,
        name="春节前欠薪排查",
        kind="wage_arrears",
        starts_on=MONDAY,
        ends_on=MONDAY + timedelta(days=10),
    )
    assert len(services.sensitive_rounds_generate(actor=director, on=MONDAY)) == 1
    assert services.sensitive_rounds_generate(actor=director, on=MONDAY) == []
    assert len(services.sensitive_rounds_generate(actor=director, on=MONDAY + timedelta(1))) == 1


@pytest.mark.parametrize(
    ("attitude", "incident", "level"),
    [
        ("most_support", "none", "low"),
        ("part_object", "none", "medium"),
        ("most_support", "conflict", "medium"),
        ("most_object", "none", "high"),
        ("part_object", "mass", "high"),
    ],
)
def test_stability_level_rules(attitude, incident, level):
    assert services.stability_level(attitude, incident) == level


def test_assessment_decision_rules_and_report_document(director, tree):
    a = services.assessment_create(
        actor=director,
        draft=services.AssessmentDraft(
            region=tree.township.code,
            subject="静河镇垃圾中转站建设项目",
            deciding_body="静河镇人民政府",
            assessor="静河镇综治中心",
            attitude="part_object",
            incident_risk="none",
            risk_points=(("选址邻近居民区", "加强除臭与公示"),),
            opinions=(("hearing", MONDAY, "村民代表30人", "多数要求迁址"),),
        ),
    )
    assert a.level == "medium"
    with pytest.raises(InvalidInput):
        services.assessment_decide(actor=director, assessment_id=a.pk, decision="implement")
    a = services.assessment_decide(actor=director, assessment_id=a.pk, decision="with_measures")
    doc = Document(__import__("io").BytesIO(assessment_docx(a)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "静河镇垃圾中转站建设项目" in text
    assert "中风险" in text
    assert "选址邻近居民区" in text
    assert "听证会" in text
    assert "实施" in text


def test_meeting_decision_becomes_overdue_task(director, tree, register_case, village_mediator):
    case = register_case()
    m = meetings.meeting_record(
        actor=director,
        draft=meetings.MeetingDraft(
            region=tree.township.code,
            cadence="half_month",
            title="11月上半月调度会",
            held_on=MONDAY,
            attendees="镇长、司法所长、派出所长",
            case_ids=(case.pk,),
        ),
    )
    assert list(m.agenda_cases.all()) == [case]
    task = meetings.meeting_task_add(
        actor=director,
        meeting_id=m.pk,
        decision="一周内化解宅基地纠纷",
        owner_id=village_mediator.pk,
        due_on=date(2020, 1, 1),
    )
    assert task.owner == village_mediator
    assert task.is_overdue
    assert meetings.meeting_tasks_remind(actor=director) == 1
    assert meetings.meeting_tasks_remind(actor=director) == 0
    meetings.meeting_task_complete(actor=village_mediator, task_id=task.pk)
    task.refresh_from_db()
    assert not task.is_overdue


def test_denied_actions_outside_jurisdiction_leave_no_trace(director, schedule, tree, make_actor):
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        services.report_file(
            actor=outsider, round_id=rnd.pk, village=tree.village.code, entries=[_entry()]
        )
    with pytest.raises(NotFound):
        services.hazard_register(
            actor=outsider,
            draft=services.HazardDraft(
                region=tree.village.code,
                title="x",
                category="labour",
                people_count=1,
                people_description="y",
                level="low",
                responsible_id=outsider.pk,
            ),
        )
    with pytest.raises(NotFound):
        meetings.meeting_record(
            actor=outsider,
            draft=meetings.MeetingDraft(
                region=tree.township.code,
                cadence="monthly",
                title="t",
                held_on=MONDAY,
                attendees="a",
            ),
        )
    assert AuditEntry.objects.count() == before
    assert not PatrolReport.objects.exists()
    assert not PatrolEntry.objects.exists()
    assert not Hazard.objects.exists()


@pytest.mark.parametrize("attitude", ["most_support", "part_object", "most_object"])
@pytest.mark.parametrize("incident_risk", ["none", "conflict", "mass"])
def test_level_basis_names_the_findings_that_decided_the_level(attitude, incident_risk):
    basis = services.stability_level_basis(attitude, incident_risk)
    assert basis.level == services.stability_level(attitude, incident_risk)
    decisive = {
        "high": {"most_object", "mass"},
        "medium": {"part_object", "conflict"},
        "low": {"most_support", "none"},
    }[basis.level]
    labels = dict(PublicAttitude.choices) | dict(IncidentRisk.choices)
    expected = [str(labels[v]) for v in (attitude, incident_risk) if v in decisive]
    assert list(basis.findings) == expected
    assert expected  # a level is always decided by at least one finding
    assert "发改投资〔2012〕2492号" in basis.source
