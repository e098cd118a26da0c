"""Demo data for 静河镇 (430624122000): a schedule with this week's and month's rounds, filed 排查表
(one entry made into a case, both countersignatures where the accounts exist), hazards, a 稳评 and a
half-monthly meeting with a task. Everything goes through the services."""

import random
from datetime import timedelta

from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.patrols import meetings, services
from fengqiao.patrols.models import PatrolRound, PatrolSchedule, RoundKind
from fengqiao.regions.models import Region

TOWNSHIP = "430624122000"
SITUATIONS = [
    "两户因宅基地边界争执",
    "务工人员反映工程款拖欠",
    "邻里因排水沟堵塞发生口角",
    "土地承包合同到期续签分歧",
]


def load_patrols_demo(actor: User, rng: random.Random) -> list[str]:
    township = Region.objects.filter(code=TOWNSHIP).first()
    if township is None:
        return []
    today = timezone.localdate()
    PatrolSchedule.objects.get_or_create(region=township)
    rounds = services.rounds_generate(actor=actor, on=today - timedelta(days=7))
    rounds += services.rounds_generate(actor=actor, on=today)
    weekly = PatrolRound.objects.filter(
        kind=RoundKind.WEEKLY,
        region__prefix__startswith=township.prefix,
        period_start__lt=today - timedelta(days=today.weekday()),
    )
    entries = 0
    for i, rnd in enumerate(weekly):
        if i % 4 == 3:
            continue  # left missing, so the flag shows
        drafts = (
            []
            if i % 3 == 2
            else [
                services.EntryDraft(
                    checked_on=rnd.period_start + timedelta(days=rng.randrange(5)),
                    checker=f"{rnd.region.name}调委会",
                    situation=rng.choice(SITUATIONS),
                    measures="上门走访，释法说理",
                )
            ]
        )
        services.report_file(actor=actor, round_id=rnd.pk, village=rnd.region.code, entries=drafts)
        entries += len(drafts)
    flags = services.missing_reports_flag(actor=actor, today=today)
    leader = actor
    services.hazard_register(
        actor=actor,
        draft=services.HazardDraft(
            region=TOWNSHIP,
            title="春节前工程款集中讨薪隐患",
            category="labour",
            people_count=23,
            people_description="某安置房项目务工人员",
            level="high",
            responsible_id=leader.pk,
            measures="镇人社所牵头约谈施工方",
        ),
    )
    services.sensitive_period_add(
        actor=actor,
        region=TOWNSHIP,
        name="春节前欠薪专项排查",
        kind="wage_arrears",
        starts_on=today,
        ends_on=today + timedelta(days=14),
    )
    services.sensitive_rounds_generate(actor=actor, on=today)
    a = services.assessment_create(
        actor=actor,
        draft=services.AssessmentDraft(
            region=TOWNSHIP,
            subject="静河镇垃圾中转站建设项目",
            deciding_body="静河镇人民政府",
            assessor="静河镇综治中心",
            attitude="part_object",
            incident_risk="none",
            risk_points=(("选址邻近居民区，异味扰民", "密闭作业、定期公示监测数据"),),
            opinions=(
                ("hearing", today - timedelta(days=3), "村民代表30人", "多数同意，要求加强除臭"),
            ),
            contingency_plan="设立现场接待点，专人值守",
        ),
    )
    services.assessment_decide(
        actor=actor, assessment_id=a.pk, decision="with_measures", followup="施工期间每月回访"
    )
    m = meetings.meeting_record(
        actor=actor,
        draft=meetings.MeetingDraft(
            region=TOWNSHIP,
            cadence="half_month",
            title="静河镇半月矛盾纠纷调度会",
            held_on=today - timedelta(days=2),
            attendees="镇党委副书记、司法所长、派出所所长、各村书记",
            minutes="分析近期排查情况，督办重点纠纷。",
        ),
    )
    meetings.meeting_task_add(
        actor=actor,
        meeting_id=m.pk,
        decision="一周内化解讨薪隐患",
        owner_id=leader.pk,
        due_on=today + timedelta(days=7),
    )
    return [
        f"排查：{len(rounds)} 个轮次，{entries} 条排查记录，{len(flags)} 个村未按期上报",
        "风险隐患 1 条、敏感期 1 个、稳评 1 项（中风险，附条件实施）、调度会 1 次",
    ]
