"""Demo data for 静河镇 (430624122000), entered through the services as the demo's own logins
(``zhuren`` the centre director, ``tiaojie`` the 青湖村 mediator; ``suozhang`` the police-station
head and each village's party secretary countersign, 双背书):
last week's and this month's rounds, filed 排查表 (zero reports too, one village left missing so
the flag shows), an entry made into a case and countersigned by both sides, hazards, a sensitive
period, a 稳评 and a half-monthly meeting with a task. Times are real (the demo clock is off)."""

import random
from datetime import timedelta

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import PartyRole
from fengqiao.cases.services import PartyDraft
from fengqiao.core import clock
from fengqiao.demo.loader import TEMPLATES
from fengqiao.orgs.models import Organisation
from fengqiao.patrols import meetings, services
from fengqiao.patrols.models import (
    PatrolEntry,
    PatrolRound,
    PatrolSchedule,
    RoundKind,
    SignSide,
)
from fengqiao.regions.models import Region

TOWNSHIP = "430624122000"
CENTRE = "430624122ZZ"
SITUATIONS = (
    "两户因宅基地边界争执",
    "务工人员反映工程款拖欠",
    "邻里因排水沟堵塞发生口角",
    "土地承包合同到期续签分歧",
)


def load_patrols_demo(actor: User, rng: random.Random) -> list[str]:
    township = Region.objects.filter(code=TOWNSHIP).first()
    users = {
        u.username: u for u in User.objects.filter(username__in=["zhuren", "suozhang", "tiaojie"])
    }
    centre = Organisation.objects.filter(code=CENTRE).first()
    if township is None or centre is None or "zhuren" not in users:
        return []
    director = users["zhuren"]
    today = clock.today()
    PatrolSchedule.objects.get_or_create(region=township)
    last_week = today - timedelta(days=14)  # its deadline has passed whatever the weekday
    rounds = services.rounds_generate(actor=actor, on=last_week)
    rounds += services.rounds_generate(actor=actor, on=today)
    weekly = PatrolRound.objects.filter(
        kind=RoundKind.WEEKLY,
        region__prefix__startswith=township.prefix,
        period_start=last_week - timedelta(days=last_week.weekday()),
    ).select_related("region")
    entries: list[PatrolEntry] = []
    for i, rnd in enumerate(weekly):
        if i % 5 == 4:
            continue  # left missing, so the flag shows
        drafts = []
        if i % 3 != 2:
            drafts.append(
                services.EntryDraft(
                    checked_on=rnd.period_start + timedelta(days=rng.randrange(5)),
                    checker=f"{rnd.region.name}调委会",
                    situation=rng.choice(SITUATIONS),
                    measures="上门走访，释法说理",
                )
            )
        report = services.report_file(
            actor=director, round_id=rnd.pk, village=rnd.region.code, entries=drafts
        )
        entries.extend(report.entries.all())
    flags = services.missing_reports_flag(actor=actor, today=today)
    cases = 0
    if entries:
        services.entry_to_case(
            actor=director,
            entry_id=entries[0].pk,
            org_id=centre.pk,
            category="",  # classified from the entry's words (issue #21: 工程款 was 宅基地)
            parties=(PartyDraft(role=PartyRole.APPLICANT, name="刘德胜"),),
        )
        cases = 1
    signed = 0
    for entry in entries:
        report = entry.report
        secretary = (
            Membership.objects.filter(role=Role.VILLAGE_SECRETARY, region=report.village)
            .select_related("user")
            .first()
        )
        signers = {SignSide.POLICE: users.get("suozhang")}
        signers[SignSide.VILLAGE] = secretary.user if secretary is not None else None
        for side, signer in signers.items():
            if signer is not None and side in services.sides_to_sign(signer, report):
                services.report_countersign(actor=signer, report_id=report.pk, side=side)
                signed += 1
    services.hazard_register(
        actor=director,
        draft=services.HazardDraft(
            region=TOWNSHIP,
            title="春节前安置房项目工程款集中讨薪隐患",
            category="labour",
            people_count=23,
            people_description="安置房项目务工人员，来自周边三个村",
            level="high",
            responsible_id=director.pk,
            measures="镇人社所牵头约谈施工方",
        ),
    )
    land = services.hazard_register(
        actor=director,
        draft=services.HazardDraft(
            region=weekly[0].region.code if weekly else TOWNSHIP,
            title="土地流转租金纠纷",
            category="land",
            people_count=8,
            people_description="流转土地的承包户",
            level="medium",
            responsible_id=director.pk,
        ),
    )
    services.hazard_update(
        actor=director,
        hazard_id=land.pk,
        level="low",
        status="controlling",
        measures="村调委会组织协商，租金分期支付",
        note="协商后风险下降",
    )
    services.sensitive_period_add(
        actor=director,
        region=TOWNSHIP,
        name="春节前欠薪专项排查",
        kind="wage_arrears",
        starts_on=today,
        ends_on=today + timedelta(days=14),
    )
    services.sensitive_rounds_generate(actor=actor, on=today)
    a = services.assessment_create(
        actor=director,
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
        actor=director, assessment_id=a.pk, decision="with_measures", followup="施工期间每月回访"
    )
    m = meetings.meeting_record(
        actor=director,
        draft=meetings.MeetingDraft(
            region=TOWNSHIP,
            cadence="half_month",
            title="静河镇半月矛盾纠纷调度会",
            held_on=today - timedelta(days=2),
            attendees="镇党委副书记、司法所所长、派出所所长、各村党组织书记",
            minutes="分析近期排查情况，督办重点纠纷。",
            case_ids=tuple(e.case_id for e in entries[:1] if e.case_id),
        ),
    )
    owner = users.get("tiaojie", director)
    meetings.meeting_task_add(
        actor=director,
        meeting_id=m.pk,
        decision="一周内化解讨薪隐患，结果报镇综治中心",
        owner_id=owner.pk,
        due_on=today + timedelta(days=7),
    )
    return [
        f"排查：{len(rounds)} 个轮次，{len(entries)} 条排查记录（{cases} 条转为案件），"
        f"{signed} 个背书，{len(flags)} 个村未按期上报",
        "风险隐患 2 条、敏感期 1 个、稳评 1 项（中风险，附条件实施）、半月调度会 1 次",
    ]


# the patrol entries the demo turns into cases say what they are in a few words
SITUATION_CATEGORIES = {
    "两户因宅基地边界争执": "housing_homestead",
    "务工人员反映工程款拖欠": "labour",
    "邻里因排水沟堵塞发生口角": "neighbour",
    "土地承包合同到期续签分歧": "forest_land",
}


def demo_texts() -> list[tuple[str, str]]:
    """Every text the demo files a case under, with the category it files it under: the demo's
    own cases must be classified as what they are (issue #21: 工程款拖欠 was 房屋宅基地纠纷)."""
    words = {"a": "张伟", "b": "李强", "v": "青湖村", "n": 3, "m": "5,000"}
    rows = [
        (f"{title}\n{description}\n{claims}".format(**words), category)
        for category, items in TEMPLATES.items()
        for _sub, title, description, claims in items
    ]
    rows += [(situation, SITUATION_CATEGORIES[situation]) for situation in SITUATIONS]
    return rows
