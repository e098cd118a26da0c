"""The demo data set of ``manage.py load_demo``: 湘阴县 and its 静河镇 (the plan in seeds/000), the
organisations the plan names, one login per role, and a year of cases driven through the real
services.

Provenance: division codes and names are the National Bureau of Statistics' 2023 table (bundled in
``regions/data``); populations, people, organisations' staff and every case are made up. The
populations are derived from each code (a hash), so every load gives the same figures.

Backdating: the services stamp ``clock.now()`` on every row and event, as they must in
production. To spread the demo over twelve months, the loader runs inside ``clock.replay()`` and
moves the replayed moment before each registration and transition (``core/clock.py``). Nothing
else changes: the same validation, events and audit rows are written, and the ledger seals
whatever timestamp is stored, so ``ledger.verify()`` stays clean.
"""

import csv
import hashlib
import random
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import membership_grant
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.audit.services import record
from fengqiao.cases import clocks, ledger, particulars
from fengqiao.cases.categories import ensure_default_categories
from fengqiao.cases.choices import (
    Action,
    AgreementForm,
    CaseStatus,
    Channel,
    PartiesConsent,
    PartyRole,
    RiskLevel,
    TerminationReason,
)
from fengqiao.cases.models import Case, DeadlinePolicy, DisputeCategory
from fengqiao.cases.party_services import ParticularsDraft, party_particulars_record
from fengqiao.cases.services import (
    ActionInput,
    CaseDraft,
    PartyDraft,
    case_transition,
    cases_mark_overdue,
)
from fengqiao.core import clock, refcache
from fengqiao.orgs.choices import OrgKind, Specialty
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Grid, Region
from fengqiao.regions.services import regions_import

DEMO_PASSWORD = "demo-Fengqiao-2026"  # noqa: S105  documented in README; demo data only
REGIONS_FILE = (
    Path(__file__).resolve().parent.parent / "regions" / "data" / "regions-430624-xiangyin.csv"
)
CITY = "430600000000"  # 岳阳市
COUNTY = "430624000000"
JINGHE = "430624122000"  # 静河镇
QINGHU = "430624122201"  # 青湖村, home of the village-level demo logins
SEED = 20240616


# --- made-up but deterministic figures ---------------------------------------------------------


def _hash_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def made_up_populations(rows: list[dict[str, str]]) -> dict[str, int]:
    """Villages 800–4,199 people (from a hash of the code); each level above sums its children
    plus a little; city and province get round made-up figures. Not real statistics."""
    population: dict[str, int] = {}
    by_level: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    for row in by_level.get("village", []):
        population[row["code"]] = 800 + _hash_int(row["code"]) % 3400
    for level, extra in (("township", 3000), ("county", 20000)):
        for row in by_level.get(level, []):
            children = [r for r in rows if r["parent_code"] == row["code"]]
            total = sum(population.get(c["code"], 0) for c in children)
            population[row["code"]] = total + extra + _hash_int(row["code"]) % extra
    for level, base in (("city", 5_000_000), ("province", 66_000_000)):
        for row in by_level.get(level, []):
            population[row["code"]] = base + _hash_int(row["code"]) % (base // 10)
    return population


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, area: str, male: bool) -> str:
    """A resident ID number with a correct GB 11643-1999 check character (ISO 7064 MOD 11-2)."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 52))
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


SURNAMES = (
    "张王李刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许彭吕苏卢蒋蔡丁魏叶"
    "余潘杜夏钟汪田任姜范方石姚谭廖邹熊金陆孔白毛邱秦江顾侯邵龙万段雷汤易常贺赖龚文左"
)
GIVEN_MALE = "建国 志强 国平 春生 利民 建华 新民 德胜 海军 卫东 明亮 伟 勇 磊 军 涛 超 刚 斌 湘平"
GIVEN_FEMALE = "秀英 桂兰 丽华 红梅 海燕 满秀 菊香 凤英 永红 小红 芳 娜 敏 静 艳 娟 霞 平 玲 湘兰"


# Who the demo's parties are (invented weights, not a census): mostly 汉族, with some of the
# minorities living in 湖南; the occupations of a rural county.
DEMO_ETHNIC_GROUPS = (
    ("汉族", 90),
    ("土家族", 3),
    ("苗族", 2),
    ("侗族", 1),
    ("瑶族", 1),
    ("回族", 1),
    ("白族", 1),
    ("壮族", 1),
)
DEMO_OCCUPATIONS = [
    "农民",
    "农民",
    "农民",
    "个体工商户",
    "外出务工人员",
    "退休职工",
    "小学教师",
    "乡村医生",
    "货车司机",
    "建筑工人",
    "养殖户",
    "湘阴县静河米业有限公司职工",
    "快递员",
    "家庭主妇",
    "在校学生",
    "餐饮店经营者",
    "水产养殖户",
]


def record_demo_particulars(case: Case, actor: User) -> None:
    """What the mediator records when mediation starts (人民调解法 art.29): each party's 民族,
    职业, 住址, and a 居民身份证 number and phone where intake had none; 性别 and 出生日期 follow
    the number. Drawn from a generator of its own, so the rest of the demo is unchanged."""
    rng = random.Random(f"particulars:{case.number}")  # noqa: S311  reproducible demo data
    home = case.region if case.region.level == RegionLevel.VILLAGE else None
    township = home.parent if home is not None and home.parent is not None else case.region
    for party in case.parties.all():
        if not particulars.missing(party):
            continue
        groups, weights = zip(*DEMO_ETHNIC_GROUPS, strict=True)
        village = home.name if home is not None and rng.random() < 0.85 else ""
        address = (
            f"湖南省湘阴县{township.name}{village}{rng.randint(1, 12)}组{rng.randint(1, 40)}号"
        )
        draft = ParticularsDraft(
            ethnicity=rng.choices(groups, weights)[0],
            occupation=rng.choice(DEMO_OCCUPATIONS),
            address=address if not party.address_encrypted else "",
            id_number=""
            if party.id_number_masked
            else id_number(rng, "430624", rng.random() < 0.55),
            phone="" if party.phone_masked else phone(rng),
        )
        party_particulars_record(actor=actor, case_id=case.pk, party_id=party.pk, draft=draft)


def person_name(rng: random.Random, male: bool) -> str:
    return rng.choice(SURNAMES) + rng.choice((GIVEN_MALE if male else GIVEN_FEMALE).split())


def phone(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return f"0730-{rng.randrange(5_000_000, 8_999_999)}"  # 岳阳 landline
    return f"1{rng.choice('3578')}{rng.randrange(0, 10)}{rng.randrange(0, 100_000_000):08d}"


# --- case texts --------------------------------------------------------------------------------

# category → [(subcategory, title, description, claims)]; {a} applicant, {b} respondent,
# {v} village, {n} a small number, {m} an amount in yuan.
TEMPLATES: dict[str, list[tuple[str, str, str, str]]] = {
    "housing_homestead": [
        (
            "homestead_boundary",
            "{a}与{b}宅基地界址纠纷",
            "{v}村民{a}与邻居{b}因宅基地界址发生争执。{b}翻修房屋时院墙向{a}一侧延伸约{n}米，"
            "{a}认为侵占其宅基地，双方多次争吵，村组调解未果。",
            "请求{b}拆除越界院墙，恢复原界址。",
        ),
        (
            "house_ownership",
            "{a}与{b}老屋权属纠纷",
            "{a}与堂兄{b}对祖遗老屋的归属各执一词，{b}已将老屋出租，{a}要求分得租金。",
            "请求确认老屋份额并分配租金{m}元。",
        ),
    ],
    "forest_land": [
        (
            "land_contract",
            "{a}与{b}土地承包经营权纠纷",
            "{a}外出务工期间将承包田交{b}代耕，返乡后要求收回，{b}以已投入改良为由拒绝交还。",
            "请求{b}返还承包田{n}亩。",
        ),
        (
            "forest_rights",
            "{v}山林权属纠纷",
            "{a}与{b}两户对交界处一片杉木林的权属有争议，{b}近日砍伐林木{n}立方米，引发冲突。",
            "请求确认林地权属并赔偿林木损失{m}元。",
        ),
    ],
    "labour": [
        (
            "wage_arrears",
            "{n}名工人追讨拖欠工资",
            "{a}等{n}名工人在{b}承包的工地务工，工程完工后{b}以未收到工程款为由拖欠工资共计{m}元。",
            "请求{b}支付拖欠工资{m}元。",
        ),
        (
            "work_injury",
            "{a}务工受伤赔偿纠纷",
            "{a}在{b}经营的砖厂搬运时被砸伤右脚，住院{n}天，双方就医疗费和误工费协商不成。",
            "请求赔偿医疗费、误工费共{m}元。",
        ),
    ],
    "neighbour": [
        (
            "noise",
            "{a}反映{b}家噪音扰民",
            "{b}在自家一楼开设加工作坊，每天清晨开机，噪音影响{a}一家休息，多次沟通无果。",
            "请求{b}调整作业时间并采取隔音措施。",
        ),
        (
            "drainage",
            "{a}与{b}排水沟纠纷",
            "{b}硬化门前场地时堵塞了原有排水沟，雨后积水倒灌{a}家厨房。",
            "请求{b}恢复排水沟畅通。",
        ),
        (
            "adjacency",
            "{a}与{b}通行纠纷",
            "{b}在{a}进出的唯一小路上堆放柴草并设置栅栏，{a}家农用车无法通行。",
            "请求{b}清除障碍，恢复通行。",
        ),
    ],
    "traffic": [
        (
            "traffic_injury",
            "{a}与{b}交通事故赔偿纠纷",
            "{b}驾驶三轮摩托车在村道与{a}骑行的电动车相撞，{a}受伤住院{n}天，交警认定{b}负主要责任。",
            "请求赔偿医疗费、误工费等共计{m}元。",
        ),
        (
            "traffic_property",
            "{a}车辆被刮损赔偿纠纷",
            "{b}倒车时刮损{a}停放在路边的小货车，双方对维修费用数额有分歧。",
            "请求赔偿车辆维修费{m}元。",
        ),
    ],
    "marriage_family": [
        (
            "support",
            "{a}老人赡养纠纷",
            "{a}年过七旬，育有{n}个子女，子女之间就赡养费分担和轮流照料互相推诿。",
            "请求子女每月支付赡养费并轮流照料。",
        ),
        (
            "inheritance",
            "{a}与{b}遗产继承纠纷",
            "{a}与{b}系兄妹，父亲去世后留下房屋一栋和存款{m}元，双方对分割方案争执不下。",
            "请求依法分割遗产。",
        ),
        (
            "family_conflict",
            "{a}家庭矛盾",
            "{a}与丈夫{b}因家庭琐事长期争吵，近日矛盾激化，{a}回娘家居住，要求村里出面调解。",
            "请求调解家庭矛盾。",
        ),
    ],
    "contract": [
        (
            "loan",
            "{a}与{b}民间借贷纠纷",
            "{b}向{a}借款{m}元用于养殖，约定一年归还，逾期{n}个月仍未还款。",
            "请求{b}归还借款{m}元及利息。",
        ),
        (
            "lease",
            "{a}与{b}门面租赁纠纷",
            "{a}将临街门面租给{b}经营，{b}拖欠租金{n}个月，共计{m}元。",
            "请求{b}支付欠租并腾退门面。",
        ),
        (
            "sale",
            "{a}与{b}稻谷买卖纠纷",
            "{a}将稻谷{n}吨卖给粮贩{b}，{b}以水分超标为由压价，尚欠货款{m}元。",
            "请求{b}支付剩余货款{m}元。",
        ),
    ],
    "business": [
        (
            "cooperative",
            "{a}与{b}合伙养殖纠纷",
            "{a}与{b}合伙承包鱼塘，因分红比例和亏损分担发生争议，合伙账目不清。",
            "请求清算合伙账目，分配收益{m}元。",
        ),
        (
            "farm_supplies",
            "{a}购买农资质量纠纷",
            "{a}从{b}农资店购买的稻种出苗率不足三成，{n}亩稻田减产。",
            "请求赔偿减产损失{m}元。",
        ),
    ],
    "damages": [
        (
            "personal_injury",
            "{a}被狗咬伤赔偿纠纷",
            "{a}路过{b}家门口时被其饲养的狗咬伤小腿，花去医疗费{m}元，{b}只愿承担一半。",
            "请求{b}全额赔偿医疗费{m}元。",
        ),
        (
            "property_damage",
            "{a}鱼塘鱼苗死亡赔偿纠纷",
            "{b}在上游田里喷洒农药，药水流入{a}鱼塘，造成鱼苗大量死亡。",
            "请求赔偿鱼苗损失{m}元。",
        ),
    ],
    "land_requisition": [
        (
            "compensation",
            "{a}征收补偿纠纷",
            "{v}修建乡村公路征用{a}家{n}分责任田，{a}认为青苗补偿标准过低，阻止施工。",
            "请求提高青苗补偿标准。",
        ),
        (
            "resettlement",
            "{a}拆迁安置纠纷",
            "{a}家房屋因河堤加固工程拆除，对安置房位置和面积有异议，多次到镇里反映。",
            "请求调整安置房源。",
        ),
    ],
    "environment": [
        (
            "livestock",
            "{a}等村民反映养猪场污染",
            "{b}经营的养猪场粪污直排水沟，臭味影响周边{n}户村民生活，村民情绪较大。",
            "请求养猪场整改粪污处理设施。",
        ),
        (
            "water_pollution",
            "{a}反映{b}作坊污水排放",
            "{b}经营的豆腐作坊污水直接排入灌溉渠，{a}家稻田受到影响。",
            "请求停止排污并赔偿损失{m}元。",
        ),
    ],
    "consumer": [
        (
            "product_quality",
            "{a}购买电动车质量纠纷",
            "{a}在{b}门店购买的电动车使用{n}个月电池鼓包，商家拒绝退换。",
            "请求更换电池或退款{m}元。",
        ),
        (
            "service",
            "{a}与{b}酒席服务纠纷",
            "{a}在{b}承办的乡村酒席宴请，多名宾客饭后身体不适，双方对费用结算产生争议。",
            "请求减免酒席费用{m}元。",
        ),
    ],
    "medical": [
        (
            "malpractice",
            "{a}家属与镇卫生院医疗纠纷",
            "{a}在镇卫生院输液后出现过敏反应，转院治疗花费{m}元，家属认为卫生院处置不当。",
            "请求卫生院赔偿医疗费{m}元。",
        ),
        (
            "medical_fee",
            "{a}医疗费用争议",
            "{a}对村卫生室收取的治疗费用有异议，认为存在重复收费。",
            "请求退还多收费用。",
        ),
    ],
    "property_mgmt": [
        (
            "property_fee",
            "{a}与物业公司物业费纠纷",
            "{a}以小区电梯经常故障、保洁不到位为由拒交物业费{n}个月，物业公司停止其门禁卡。",
            "请求物业公司整改服务并恢复门禁。",
        ),
        (
            "common_area",
            "{a}等业主反对占用公共绿地",
            "{b}在小区公共绿地搭建停车棚，{a}等{n}户业主认为侵害共有权益。",
            "请求拆除违建车棚，恢复绿地。",
        ),
    ],
    "tourism": [
        (
            "",
            "{a}农家乐团餐纠纷",
            "{a}组织的旅游团在{b}经营的农家乐就餐，对菜品分量和收费有争议。",
            "请求退还部分餐费{m}元。",
        ),
    ],
    "ip": [
        (
            "",
            "{a}与{b}商标纠纷",
            "{b}在其米粉店招牌上使用与{a}已注册商标近似的名称，{a}要求停止使用。",
            "请求停止使用近似名称。",
        ),
    ],
    "internet": [
        (
            "",
            "{a}网购农产品退款纠纷",
            "{a}通过网店向{b}购买腊肉，收货后发现变质，卖家拒绝退款。",
            "请求退款{m}元。",
        ),
    ],
    "other": [
        (
            "village_affairs",
            "{a}等村民对村务公开有异议",
            "{a}等{n}名村民对{v}集体鱼塘承包收益的使用情况有疑问，要求公开账目。",
            "请求村委会公开集体收益账目。",
        ),
    ],
}

# What each kind of dispute plausibly claims, in yuan (issue #21: a dog bite claimed 57,500 元 of
# medical fees); other subcategories draw from 1,000–200,000.
AMOUNTS: dict[str, tuple[int, int]] = {
    "personal_injury": (300, 8_000),
    "traffic_property": (500, 15_000),
    "traffic_injury": (3_000, 120_000),
    "work_injury": (2_000, 80_000),
    "house_ownership": (1_000, 30_000),
    "lease": (2_000, 60_000),
    "sale": (2_000, 80_000),
    "farm_supplies": (1_000, 50_000),
    "property_damage": (500, 30_000),
    "water_pollution": (1_000, 50_000),
    "forest_rights": (2_000, 50_000),
    "product_quality": (500, 8_000),
    "service": (500, 20_000),
    "malpractice": (2_000, 100_000),
    "": (200, 5_000),  # tourism, internet: a meal, a parcel
}

# Categories the county's professional committees take (escalated from the township).
SPECIALISED = {
    "medical": Specialty.MEDICAL,
    "traffic": Specialty.TRAFFIC,
    "labour": Specialty.LABOUR,
    "property_mgmt": Specialty.PROPERTY,
}


# --- organisations and people ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    region: str
    specialty: str = ""


COUNTY_ORGS = (
    OrgSpec("430624ZZ", "湘阴县社会治安综合治理中心（县矛调中心）", OrgKind.CENTRE, COUNTY),
    OrgSpec(
        "430624YL",
        "湘阴县医疗纠纷人民调解委员会",
        OrgKind.PROFESSIONAL_COMMITTEE,
        COUNTY,
        Specialty.MEDICAL,
    ),
    OrgSpec(
        "430624JT",
        "湘阴县道路交通事故纠纷人民调解委员会",
        OrgKind.PROFESSIONAL_COMMITTEE,
        COUNTY,
        Specialty.TRAFFIC,
    ),
    OrgSpec(
        "430624LD",
        "湘阴县劳动争议人民调解委员会",
        OrgKind.PROFESSIONAL_COMMITTEE,
        COUNTY,
        Specialty.LABOUR,
    ),
    OrgSpec(
        "430624WY",
        "湘阴县物业纠纷人民调解委员会",
        OrgKind.PROFESSIONAL_COMMITTEE,
        COUNTY,
        Specialty.PROPERTY,
    ),
    # The county's own committee, seated in the 矛调中心: the centre refers, the committee
    # mediates and seals (人民调解法 art.29; issue #14: agreements sealed by the 综治中心).
    OrgSpec("430624TJ", "湘阴县联合人民调解委员会", OrgKind.PROFESSIONAL_COMMITTEE, COUNTY),
    OrgSpec("430624FY", "湘阴县人民法院", OrgKind.COURT, COUNTY),
    OrgSpec("430624XF", "湘阴县信访局", OrgKind.PETITION_OFFICE, COUNTY),
    OrgSpec("430624SFJ", "湘阴县司法局", OrgKind.DEPARTMENT, COUNTY),
    OrgSpec("430624RSJ", "湘阴县人力资源和社会保障局", OrgKind.DEPARTMENT, COUNTY),
    OrgSpec("430624ZRJ", "湘阴县自然资源局", OrgKind.DEPARTMENT, COUNTY),
    OrgSpec("430624LS01", "湖南枫桥律师事务所（虚构）", OrgKind.LAW_FIRM, COUNTY),
)
JINGHE_ORGS = (
    OrgSpec("430624122ZZ", "静河镇综治中心（矛调中心）", OrgKind.CENTRE, JINGHE),
    OrgSpec("430624122TJ", "静河镇人民调解委员会", OrgKind.TOWNSHIP_COMMITTEE, JINGHE),
    OrgSpec("430624122SF", "静河司法所", OrgKind.JUSTICE_OFFICE, JINGHE),
    OrgSpec("430624122PCS", "樟树派出所", OrgKind.POLICE_STATION, JINGHE),
    OrgSpec("430624122XF", "静河镇信访办", OrgKind.PETITION_OFFICE, JINGHE),
    OrgSpec("430624122FT", "湘阴县人民法院静河人民法庭", OrgKind.COURT, JINGHE),
)


@dataclass(frozen=True, slots=True)
class UserSpec:
    username: str
    full_name: str
    role: str
    org: str  # unit code
    region: str  # division code of the jurisdiction
    title: str  # what the login table says


USERS = (
    UserSpec("wangge", "李秀英", Role.GRID_WORKER, f"{QINGHU}TW", QINGHU, "青湖村网格员"),
    UserSpec("tiaojie", "王建国", Role.MEDIATOR, f"{QINGHU}TW", QINGHU, "青湖村调委会调解员"),
    UserSpec("zhentiaojie", "刘桂兰", Role.MEDIATOR, "430624122TJ", JINGHE, "镇调委会调解员"),
    UserSpec("shouli", "陈静", Role.INTAKE_CLERK, "430624122ZZ", JINGHE, "镇综治中心受理员"),
    UserSpec("zhuren", "张志强", Role.CENTRE_DIRECTOR, "430624122ZZ", JINGHE, "镇综治中心主任"),
    UserSpec("sifasuo", "周明", Role.JUSTICE_OFFICER, "430624122SF", JINGHE, "静河司法所所长"),
    UserSpec("minjing", "黄勇", Role.POLICE_LIAISON, "430624122PCS", JINGHE, "樟树派出所联络员"),
    UserSpec(
        "suozhang", "曾建军", Role.POLICE_STATION_HEAD, "430624122PCS", JINGHE, "樟树派出所所长"
    ),
    UserSpec("shuji", "易红梅", Role.VILLAGE_SECRETARY, f"{QINGHU}TW", QINGHU, "青湖村党总支书记"),
    UserSpec("baoan", "孙国平", Role.CASE_LEADER, "430624122ZZ", JINGHE, "镇包案领导"),
    UserSpec("xinfang", "吴丽华", Role.PETITION_LIAISON, "430624XF", COUNTY, "县信访局联络员"),
    UserSpec("fayuan", "赵磊", Role.COURT_LIAISON, "430624FY", COUNTY, "县法院诉调对接联络员"),
    UserSpec("xianzhongxin", "邓卫东", Role.CENTRE_DIRECTOR, "430624ZZ", COUNTY, "县矛调中心主任"),
    UserSpec("zhuantiao", "罗志成", Role.MEDIATOR, "430624YL", COUNTY, "县专业调委会调解员"),
    UserSpec("lingdao", "何建华", Role.READ_ONLY, "430624ZZ", COUNTY, "县领导（只读）"),
    UserSpec("admin", "郑伟", Role.SYSTEM_ADMIN, "430624ZZ", COUNTY, "系统管理员（/admin/）"),
    UserSpec("anquan", "钱立新", Role.SECURITY_ADMIN, "430624ZZ", COUNTY, "安全管理员（登录安全）"),
    UserSpec("shenji", "冯晓燕", Role.AUDIT_ADMIN, "430624ZZ", COUNTY, "安全审计员（审计日志）"),
)
# 三员分立 in the admin: the system administrator keeps the system (superuser), the security and
# audit administrators sign in to the admin for roles and for the audit log (docs/deployment.md).
ADMIN_FLAGS: dict[str, dict[str, bool]] = {
    Role.SYSTEM_ADMIN: {"is_staff": True, "is_superuser": True},
    Role.SECURITY_ADMIN: {"is_staff": True},
    Role.AUDIT_ADMIN: {"is_staff": True},
}
# The county professional mediator sits on all four professional committees and the county's
# joint committee.
EXTRA_MEMBERSHIPS = tuple(
    ("zhuantiao", Role.MEDIATOR, code, COUNTY) for code in ("JT", "LD", "WY", "TJ")
)


# Chinese names for the login table and the summary (the gettext catalogue may not be compiled).
ROLE_NAMES = {
    Role.GRID_WORKER: "网格员",
    Role.MEDIATOR: "调解员",
    Role.INTAKE_CLERK: "中心受理员",
    Role.CENTRE_DIRECTOR: "中心主任",
    Role.JUSTICE_OFFICER: "司法所",
    Role.POLICE_LIAISON: "派出所联络员",
    Role.POLICE_STATION_HEAD: "派出所所长",
    Role.VILLAGE_SECRETARY: "村党组织书记",
    Role.PETITION_LIAISON: "信访联络员",
    Role.COURT_LIAISON: "法院联络员",
    Role.CASE_LEADER: "包案领导",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "安全审计员",
    Role.READ_ONLY: "只读",
}
STATUS_NAMES = {
    CaseStatus.REGISTERED: "已登记",
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.DECLINED: "不予受理",
    CaseStatus.ASSIGNED: "已交办",
    CaseStatus.MEDIATING: "调解中",
    CaseStatus.RESOLVED: "调解成功",
    CaseStatus.TERMINATED: "调解终止",
    CaseStatus.TRANSFERRING: "移交待接收",
    CaseStatus.WITHDRAWN: "已撤回",
    CaseStatus.CLOSED: "已结案",
}


@dataclass
class DemoReport:
    loaded: bool
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # user, name, role, unit
    regions_created: int = 0
    organisations: int = 0
    users: int = 0
    grids: int = 0
    cases: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    broken_chains: int = 0
    loaded_at: datetime | None = None
    extra_staff: int = 0
    more: list[str] = field(default_factory=list)  # what the other apps' demo steps added


# The other apps' parts of the demo (routing rules, channel endpoints, mediation records…) are
# steps run in order after the cases exist, as the loading actor; each returns lines for the
# summary. ``demo.steps`` lists them and ``load_demo`` passes them in.
DemoStep = Callable[[User, random.Random], list[str]]
# Some actions need what another app records first (record_agreement needs an agreement in
# force, 人民调解法 art.29): a preparer runs just before the action, by transition name.
DemoPreparer = Callable[[Case, User], None]  # (case, the actor about to act)


def demo_logins() -> list[tuple[str, str, str, str]]:
    rows = []
    users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in USERS])}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[s.org for s in USERS])}
    for spec in USERS:
        if spec.username in users:
            org = orgs.get(spec.org)
            rows.append(
                (
                    spec.username,
                    spec.full_name,
                    ROLE_NAMES[Role(spec.role)],
                    f"{spec.title} · {org.name if org else spec.org}",
                )
            )
    return rows


def demo_loaded_at() -> datetime | None:
    entry = AuditEntry.objects.filter(action=AuditAction.DEMO_LOADED).order_by("pk").first()
    return entry.occurred_at if entry else None


Registrar = Callable[[User, CaseDraft], Case]


def demo_load(
    *,
    actor: User,
    register: Registrar,
    steps: Sequence[DemoStep] = (),
    preparers: Mapping[str, DemoPreparer] | None = None,
    cases: int = 300,
    seed: int = SEED,
) -> DemoReport:
    """Load the demo once; a second call changes nothing and says so (``loaded=False``).
    ``register`` is the intake path (``load_demo`` passes it: every demo case is registered,
    routed and flagged as a real one); ``steps`` and ``preparers`` are the other apps' parts
    (``demo.steps``)."""
    loaded_at = demo_loaded_at()
    if loaded_at is not None:
        return DemoReport(loaded=False, logins=demo_logins(), loaded_at=loaded_at)
    # One transaction of one process: reference data changes only by the loader's own writes,
    # and each of them moves the version this scope has seen (``refcache.bump``), so the version
    # is read once instead of at every cached read, 1,400 times (issue #21).
    with transaction.atomic(), clock.replay() as replay, refcache.request_scope():
        loader = _Loader(
            actor=actor,
            register=register,
            replay=replay,
            seed=seed,
            steps=steps,
            preparers=preparers,
        )
        report = loader.run(cases)
    report.logins = demo_logins()
    return report


# --- the loader --------------------------------------------------------------------------------


@dataclass
class _Step:
    name: str
    actor: User
    org: Organisation | None = None
    assignee: User | None = None
    lead: User | None = None


class _Loader:
    def __init__(
        self,
        *,
        actor: User,
        register: Registrar,
        replay: clock.Replay,
        seed: int,
        steps: Sequence[DemoStep],
        preparers: Mapping[str, DemoPreparer] | None,
    ) -> None:
        self.actor = actor
        self.register = register
        self.replay = replay
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311  reproducible demo data, not secrets
        self.real_now = clock.real_now()
        self.start = self.real_now - timedelta(days=366)
        self.orgs: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.village_staff: dict[str, tuple[User, User]] = {}  # village code → (grid, mediator)
        self.report = DemoReport(loaded=True)
        self.steps = list(steps)
        self.preparers = dict(preparers or {})

    # The structure ------------------------------------------------------------------------------

    def run(self, count: int) -> DemoReport:
        self.replay.moment = self.start  # memberships and accounts date from before the first case
        ensure_default_categories(DisputeCategory)
        self._regions()
        self._deadline_policies()
        self._organisations()
        self._people()
        self._grids()
        self._cases(count)
        self.replay.moment = None
        for step in self.steps:
            self.report.more.extend(step(self.actor, self.rng))
        self.report.overdue = cases_mark_overdue(actor=self.actor)
        self.report.broken_chains = sum(1 for _ in ledger.verify())
        self.report.cases = Case.objects.count()
        self.report.statuses = dict(Counter(Case.objects.values_list("status", flat=True)))
        record(
            actor=self.actor,
            action=AuditAction.DEMO_LOADED,
            target=Region.objects.get(code=COUNTY),
            extra={"cases": count, "seed": self.seed, "overdue": self.report.overdue},
        )
        return self.report

    def _deadline_policies(self) -> None:
        """岳阳市's own 12345 limit (a policy per city, issue #14): the demo's value, with where
        it comes from; a real installation enters its city's rule."""
        DeadlinePolicy.objects.get_or_create(
            channel=Channel.HOTLINE_12345,
            category=None,
            level=None,
            procedure="",
            region=Region.objects.get(code=CITY),
            defaults={
                "days": 5,
                "working_days": True,
                "basis": "岳阳市12345热线承办时限（演示值）：未查到岳阳市公布的日数，"
                "取潍坊市12345政务服务便民热线条例（2021）第二十条「五个工作日」，"
                "正式使用时按本市规定修改",
            },
        )

    def _regions(self) -> None:
        with REGIONS_FILE.open(encoding="utf-8-sig") as source:
            rows = list(csv.DictReader(source))
        population = made_up_populations(rows)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "regions-430624-demo.csv"
            with path.open("w", encoding="utf-8", newline="") as target:
                writer = csv.writer(target)
                writer.writerow(["code", "name", "level", "parent_code", "population"])
                for row in rows:
                    writer.writerow(
                        [row[k] for k in ("code", "name", "level", "parent_code")]
                        + [str(population[row["code"]])]
                    )
            result = regions_import(actor=self.actor, path=path)
        if result.errors:  # the bundled file is valid; this guards against a damaged copy
            raise ValueError("; ".join(str(e) for e in result.errors))
        self.report.regions_created = result.created
        self.regions = {
            r.code: r
            for r in Region.objects.filter(code__startswith="430").select_related("parent")
        }
        self.jinghe_villages = sorted(
            (r for r in self.regions.values() if r.parent is not None and r.parent.code == JINGHE),
            key=lambda r: r.code,
        )
        self.other_villages = [
            r
            for r in self.regions.values()
            if r.level == RegionLevel.VILLAGE and not r.code.startswith("430624122")
        ]

    def _org(self, spec: OrgSpec) -> Organisation:
        org, _created = Organisation.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "region": self.regions[spec.region],
                "specialty": spec.specialty,
            },
        )
        self.orgs[org.code] = org
        return org

    def _organisations(self) -> None:
        for spec in (*COUNTY_ORGS, *JINGHE_ORGS):
            self._org(spec)
        for village in self.jinghe_villages:
            self._org(
                OrgSpec(
                    f"{village.code}TW",
                    f"{village.name}人民调解委员会",
                    OrgKind.VILLAGE_COMMITTEE,
                    village.code,
                )
            )
        for township in self.regions.values():
            if township.level == RegionLevel.TOWNSHIP and township.code != JINGHE:
                self._org(
                    OrgSpec(
                        f"{township.code[:9]}ZZ",
                        f"{township.name}综治中心",
                        OrgKind.CENTRE,
                        township.code,
                    )
                )
        self.report.organisations = len(self.orgs)

    def _user(self, username: str, full_name: str, **flags: bool) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, **flags}
        )
        if created:  # the password is set now, in real time (the demo clock is backdated)
            User.objects.filter(pk=user.pk).update(
                password=self.password_hash, password_changed_at=Now()
            )
            user.refresh_from_db(fields=["password", "password_changed_at"])
        return user

    def _grant(self, user: User, role: str, org_code: str, region_code: str) -> None:
        membership_grant(
            actor=self.actor,
            user=user,
            role=role,
            region=self.regions[region_code],
            org=self.orgs[org_code],
        )

    def _people(self) -> None:
        self.password_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        for spec in USERS:
            flags = ADMIN_FLAGS.get(spec.role, {})
            user = self._user(spec.username, spec.full_name, **flags)
            self._grant(user, spec.role, spec.org, spec.region)
            self.users[spec.username] = user
        for username, role, suffix, region in EXTRA_MEMBERSHIPS:
            self._grant(self.users[username], role, f"430624{suffix}", region)
        # Every other 静河镇 village has its own grid worker, committee mediator and party
        # secretary (who countersigns the village's 排查 results, 双背书).
        rng = random.Random(f"{SEED}-staff")  # noqa: S311  reproducible names
        for village in self.jinghe_villages:
            if village.code == QINGHU:
                self.village_staff[village.code] = (self.users["wangge"], self.users["tiaojie"])
                continue
            tail = village.code[-3:]
            grid_worker = self._user(f"wangge{tail}", person_name(rng, male=rng.random() < 0.5))
            mediator = self._user(f"tiaojie{tail}", person_name(rng, male=rng.random() < 0.6))
            self._grant(grid_worker, Role.GRID_WORKER, f"{village.code}TW", village.code)
            self._grant(mediator, Role.MEDIATOR, f"{village.code}TW", village.code)
            secretary = self._user(f"shuji{tail}", person_name(rng, male=rng.random() < 0.6))
            self._grant(secretary, Role.VILLAGE_SECRETARY, f"{village.code}TW", village.code)
            self.village_staff[village.code] = (grid_worker, mediator)
            self.report.extra_staff += 3
        self.report.users = len(self.users) + self.report.extra_staff

    def _grids(self) -> None:
        for village in self.jinghe_villages:
            worker = self.village_staff[village.code][0]
            for number in range(1, 2 + 1 + _hash_int(village.code) % 2):
                grid, _created = Grid.objects.get_or_create(
                    code=f"{village.code}{number:03d}",
                    defaults={"name": f"第{'一二三'[number - 1]}网格", "village": village},
                )
                grid.workers.add(worker)
                self.report.grids += 1

    # The cases ----------------------------------------------------------------------------------

    def _cases(self, count: int) -> None:
        rng = self.rng
        statuses = list(CaseStatus)
        channels = list(Channel)
        categories = list(TEMPLATES)
        plans = []
        for index in range(count):
            days_ago = rng.randint(1, 365)
            if index < len(statuses) and statuses[index] == CaseStatus.REGISTERED:
                days_ago = 1 + days_ago % 3  # waiting to be accepted is a matter of days
            moment = datetime.combine(
                self.real_now.date() - timedelta(days=days_ago),
                time(rng.randint(8, 17), rng.randint(0, 59)),
                tzinfo=timezone.get_current_timezone(),
            )
            # The first cases cover every status, channel and category; the rest follow age.
            status = statuses[index] if index < len(statuses) else self._status_for(days_ago)
            channel = channels[index % len(channels)] if index < 2 * len(channels) else None
            category = (
                categories[index % len(categories)]
                if index < 2 * len(categories)
                else rng.choice(categories)
            )
            plans.append((moment, index, status, channel or rng.choice(channels), category))
        for moment, index, status, channel, category in sorted(plans):
            self._one_case(index, moment, status, channel, category)

    def _status_for(self, days_ago: int) -> CaseStatus:
        S = CaseStatus
        if days_ago <= 30:
            weights = {S.REGISTERED: 3, S.ACCEPTED: 3, S.ASSIGNED: 4, S.MEDIATING: 4, S.RESOLVED: 3}
            weights |= {S.TRANSFERRING: 2, S.CLOSED: 3, S.DECLINED: 1, S.TERMINATED: 1}
            weights |= {S.WITHDRAWN: 1}
        else:
            weights = {S.CLOSED: 70, S.RESOLVED: 4, S.TERMINATED: 3, S.DECLINED: 3, S.WITHDRAWN: 3}
            # an older case has at least been accepted or declined (issue #21: village cases sat
            # 已登记 and overdue for months)
            weights |= {S.MEDIATING: 4, S.ASSIGNED: 3, S.ACCEPTED: 2, S.TRANSFERRING: 1}
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _party(self, role: str, area: str) -> PartyDraft:
        rng = self.rng
        male = rng.random() < 0.6
        return PartyDraft(
            role=role,
            name=person_name(rng, male),
            id_number=id_number(rng, area, male) if rng.random() < 0.8 else "",
            phone=phone(rng) if rng.random() < 0.9 else "",
        )

    def _one_case(
        self, index: int, moment: datetime, status: CaseStatus, channel: str, category: str
    ) -> None:
        rng = self.rng
        u, o = self.users, self.orgs
        # Where it arose and who registers it, by channel.
        village = rng.choice(self.jinghe_villages)
        grid_worker, village_mediator = self.village_staff[village.code]
        village_committee = o[f"{village.code}TW"]
        place: Region = village
        if channel in (Channel.GRID, Channel.PATROL, Channel.INFORMANT):
            registrar, at = grid_worker, village_committee
        elif channel == Channel.PROACTIVE:
            registrar, at = village_mediator, village_committee
        elif channel == Channel.POLICE_110:
            registrar, at = u["minjing"], o["430624122PCS"]
        elif channel in (Channel.PETITION, Channel.COURT):
            registrar = u["xinfang"] if channel == Channel.PETITION else u["fayuan"]
            at = o["430624XF"] if channel == Channel.PETITION else o["430624FY"]
            if rng.random() < 0.5:
                place = rng.choice(self.other_villages)
        else:
            registrar, at = u["shouli"], o["430624122ZZ"]
            if rng.random() < 0.1:
                place = self.regions[JINGHE]
        draft = self._draft(index, moment, channel, category, at, place, village)
        self.replay.moment = moment
        case = self.register(registrar, draft)
        steps = self._route(case, status, at, place, village, category, village_mediator)
        when = moment
        for step in steps:
            when = self._later(when, step.name)
            self.replay.moment = when
            # ``case`` is what the last service returned: the demo reads only fields that its
            # own steps set (status, handling unit), never a fresh copy of it (issue #21).
            if (prepare := self.preparers.get(step.name)) is not None:
                prepare(case, step.actor)
            case = case_transition(
                actor=step.actor,
                case_id=case.pk,
                name=step.name,
                action=self._input(step, when, case),
            )
            if step.name == Action.START_MEDIATION:
                case.region = place  # the loader's copy, its township already read
                record_demo_particulars(case, step.actor)

    def _draft(
        self,
        index: int,
        moment: datetime,
        channel: str,
        category: str,
        at: Organisation,
        place: Region,
        village: Region,
    ) -> CaseDraft:
        rng = self.rng
        sub, title, description, claims = rng.choice(TEMPLATES[category])
        area = place.code[:6]
        applicant, respondent = (
            self._party(PartyRole.APPLICANT, area),
            self._party(PartyRole.RESPONDENT, area),
        )
        low, high = AMOUNTS.get(sub, (1_000, 200_000))
        amount = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)
        number = rng.randint(2, 12)
        words: dict[str, object] = {
            "a": applicant.name,
            "b": respondent.name,
            "v": place.name,
            "n": number,
            "m": f"{amount:,.0f}",
        }
        risk = rng.choices(list(RiskLevel), weights=(80, 15, 5))[0]
        refs: dict[str, str] = {
            Channel.POLICE_110: f"J430624{moment:%Y%m%d}{index:04d}",
            Channel.HOTLINE_12345: f"12345-{moment:%Y%m%d}-{index:04d}",
            Channel.COURT: f"（{moment.year}）湘0624民诉前调{index + 1}号",
            Channel.PETITION: f"湘阴信{moment:%Y}{index + 1:05d}",
        }
        source_ref = refs.get(channel, "")
        parties = [applicant, respondent]
        if rng.random() < 0.1:
            parties.append(self._party(PartyRole.THIRD_PARTY, area))
        grid = ""
        if channel == Channel.GRID and place.level == RegionLevel.VILLAGE:
            grid = f"{place.code}001"
        return CaseDraft(
            org_id=at.pk,
            title=title.format(**words)[:200],
            description=description.format(**words),
            claims=claims.format(**words),
            channel=channel,
            category=category,
            subcategory=f"{category}.{sub}" if sub else "",
            region=place.code,
            parties=tuple(parties),
            source_ref=source_ref,
            occurred_on=moment.date() - timedelta(days=rng.randint(0, 20)),
            grid=grid,
            address=f"{place.name}{rng.randint(1, 12)}组"
            if place.level == RegionLevel.VILLAGE
            else "",
            amount=amount if "{m}" in description + claims else None,
            people_count=number if "{n}名" in description else len(parties),
            risk_level=risk,
            is_mass="{n}户" in description or "{n}名" in description,
            is_criminal_risk=risk == RiskLevel.HIGH and rng.random() < 0.5,
        )

    def _officer(self, org: Organisation, *, clerk_ok: bool = False) -> User:
        """Who accepts, assigns, transfers and closes for ``org``: a village committee acts on
        its own cases through its mediator (小事不出村), the township and county through their
        centres."""
        if org.kind == OrgKind.VILLAGE_COMMITTEE and org.region.code in self.village_staff:
            return self.village_staff[org.region.code][1]
        if not org.region.prefix.startswith("430624122"):
            return self.users["xianzhongxin"]
        if org.code == "430624122SF":
            return self.users["sifasuo"]
        if clerk_ok and self.rng.random() < 0.5:
            return self.users["shouli"]
        return self.users["zhuren"]

    def _route(
        self,
        case: Case,
        status: CaseStatus,
        at: Organisation,
        place: Region,
        village: Region,
        category: str,
        village_mediator: User,
    ) -> list[_Step]:
        """The actions that bring a new case to ``status`` by a route that suits where it was
        registered; the handling organisation is tracked as the steps change it."""
        rng, u, o = self.rng, self.users, self.orgs
        S = CaseStatus
        county, township = o["430624ZZ"], o["430624122ZZ"]
        steps: list[_Step] = []
        handler = at

        senders: list[Organisation] = []

        def go(name: str, **kwargs: Any) -> None:
            nonlocal handler
            actor = kwargs.pop("actor", None) or self._officer(handler, clerk_ok=True)
            step = _Step(name, actor, **kwargs)
            steps.append(step)
            if name in (Action.TRANSFER, Action.ESCALATE) and step.org is not None:
                senders.append(handler)
            if name in (Action.TRANSFER, Action.ESCALATE, Action.ASSIGN) and step.org is not None:
                handler = step.org
            if name == Action.RETURN_TRANSFER and senders:  # back where it came from
                handler = senders.pop()

        if status == S.REGISTERED:
            return steps
        if status == S.DECLINED or (status == S.CLOSED and rng.random() < 0.08):
            go(
                Action.DECLINE,
            )
            if status == S.CLOSED:
                go(Action.CLOSE, actor=self._officer(handler))
            return steps

        # Reach "accepted", possibly through a transfer or an escalation.
        in_jinghe = place.code.startswith("430624122")
        if at.region.level == RegionLevel.VILLAGE and rng.random() < 0.4:
            go(Action.ESCALATE, org=township)  # the village committee hands it to the township
            if status == S.TRANSFERRING:
                return steps
            go(Action.ACCEPT_TRANSFER, actor=u["zhuren"])
        elif at.region.level == RegionLevel.COUNTY and in_jinghe:
            go(
                Action.ACCEPT,
            )
            go(Action.TRANSFER, org=township)  # the county sends a 静河镇 dispute down to the town
            if status == S.TRANSFERRING:
                return steps
            go(Action.ACCEPT_TRANSFER, actor=u["zhuren"])
        else:
            go(
                Action.ACCEPT,
            )
            if status == S.TRANSFERRING:
                target = o["430624122SF"] if handler.region.level == 4 else county
                if handler == target:
                    target = township
                go(Action.TRANSFER if handler.region.level != 5 else Action.ESCALATE, org=target)
                return steps
            if handler == township and rng.random() < 0.1:
                go(Action.TRANSFER, org=o["430624122PCS"])  # sent to the police, who send it back
                go(Action.RETURN_TRANSFER, actor=u["zhuren"])
        if status == S.ACCEPTED:
            return steps
        if status == S.WITHDRAWN or (status == S.CLOSED and rng.random() < 0.08):
            go(Action.WITHDRAW, actor=self._officer(handler))
            if status == S.CLOSED:
                go(Action.CLOSE, actor=self._officer(handler))
            return steps

        # Assign to whoever mediates this kind of dispute here.
        if category in SPECIALISED and handler.region.prefix.startswith("430624122"):
            if handler != township:
                go(Action.TRANSFER, org=township)
                go(Action.ACCEPT_TRANSFER, actor=u["zhuren"])
            go(Action.ESCALATE, org=county)
            go(Action.ACCEPT_TRANSFER, actor=u["xianzhongxin"])
        lead = None
        if handler.region.prefix.startswith("430624122") and case.risk_level != RiskLevel.LOW:
            lead = u["baoan"]
        target, mediator = self._mediation_unit(handler, category, village, village_mediator)
        go(Action.ASSIGN, org=target, assignee=mediator, lead=lead, actor=self._officer(handler))
        if status == S.ASSIGNED:
            return steps
        go(Action.START_MEDIATION, actor=mediator)
        if status == S.MEDIATING:
            return steps
        ending = Action.TERMINATE if status == S.TERMINATED else Action.RECORD_AGREEMENT
        if status == S.CLOSED and rng.random() < 0.12:
            ending = Action.TERMINATE
        go(ending, actor=mediator)
        if status in (S.RESOLVED, S.TERMINATED):
            return steps
        go(Action.CLOSE, actor=self._officer(handler))
        if rng.random() < 0.06:  # a party goes back on the agreement: reopened, mediated again
            go(
                Action.REOPEN,
                actor=u["zhuren"]
                if handler.kind == OrgKind.VILLAGE_COMMITTEE
                else self._officer(handler),
            )  # reopening is the township's
            go(Action.ASSIGN, org=target, assignee=mediator, actor=self._officer(handler))
            go(Action.START_MEDIATION, actor=mediator)
            go(Action.RECORD_AGREEMENT, actor=mediator)
            go(Action.CLOSE, actor=self._officer(handler))
        return steps

    def _mediation_unit(
        self, handler: Organisation, category: str, village: Region, village_mediator: User
    ) -> tuple[Organisation, User]:
        u, o = self.users, self.orgs
        if not handler.region.prefix.startswith("430624122"):
            specialty = SPECIALISED.get(category)
            if specialty:
                code = {
                    Specialty.MEDICAL: "YL",
                    Specialty.TRAFFIC: "JT",
                    Specialty.LABOUR: "LD",
                    Specialty.PROPERTY: "WY",
                }[specialty]
                return o[f"430624{code}"], u["zhuantiao"]
            return o["430624TJ"], u["zhuantiao"]
        if handler.code == "430624122SF":  # the 司法所 guides; the town's committee mediates
            return o["430624122TJ"], u["zhentiaojie"]
        if handler.kind == OrgKind.VILLAGE_COMMITTEE:  # its own case: one of its own mediators
            return handler, village_mediator
        choice = self.rng.random()
        if choice < 0.55:
            return o[f"{village.code}TW"], village_mediator
        return o["430624122TJ"], u["zhentiaojie"]

    def _later(self, when: datetime, name: str) -> datetime:
        """The next action's moment: a plausible delay, never in the real future."""
        delays: dict[str, tuple[int, int]] = {
            Action.ACCEPT: (1, 48),
            Action.DECLINE: (1, 48),
            Action.ASSIGN: (1, 72),
            Action.START_MEDIATION: (24, 120),
            Action.RECORD_AGREEMENT: (48, 480),
            Action.TERMINATE: (48, 480),
            Action.CLOSE: (24, 120),
            Action.REOPEN: (240, 720),
        }
        hours = delays.get(name, (2, 72))
        later = when + timedelta(hours=self.rng.uniform(*hours))
        ceiling = self.real_now - timedelta(minutes=30)
        if later > ceiling:
            later = min(when + timedelta(minutes=self.rng.randint(1, 5)), self.real_now)
        return later

    def _input(self, step: _Step, when: datetime, case: Case) -> ActionInput:
        rng = self.rng
        due = None
        if step.name == Action.ASSIGN:
            due = when.date() + timedelta(days=rng.randint(7, 30))
            latest = clocks.latest_due_date(case)  # 交办 may shorten a statutory limit only
            if latest is not None:
                due = min(due, latest)
        notes: dict[str, str] = {
            Action.ACCEPT: "经审查，属于受理范围，予以受理。",
            Action.DECLINE: "该纠纷已进入诉讼程序，不属于人民调解受理范围。",
            Action.ASSIGN: "请按期组织调解，及时反馈进展。",
            Action.START_MEDIATION: "已通知双方当事人到场，开始调解。",
            Action.RECORD_AGREEMENT: "经耐心疏导，双方自愿达成调解协议，当场签字确认。",
            Action.TERMINATE: "双方分歧较大，经多次调解未能达成一致，终止调解，引导通过诉讼解决。",
            Action.TRANSFER: "该纠纷涉及专门事项，移交相关单位办理。",
            Action.ESCALATE: "纠纷较复杂，本级难以化解，上报上级处理。",
            Action.ACCEPT_TRANSFER: "已接收，将尽快处理。",
            Action.RETURN_TRANSFER: "不属于本单位职责范围，退回原单位。",
            Action.WITHDRAW: "当事人自行和解，申请撤回。",
            Action.CLOSE: "案件办结，材料归档。",
            Action.REOPEN: "一方当事人反悔，申请重新调解。",
        }
        return ActionInput(
            note=notes[step.name],
            referred_to="湘阴县人民法院" if step.name in (Action.DECLINE, Action.TERMINATE) else "",
            org_id=step.org.pk if step.org else None,
            assignee_id=step.assignee.pk if step.assignee else None,
            lead_id=step.lead.pk if step.lead else None,
            due_date=due,
            agreement_form=rng.choice([AgreementForm.WRITTEN] * 4 + [AgreementForm.ORAL]),
            termination_reason=rng.choice(
                [TerminationReason.TOO_FAR_APART, TerminationReason.UNWILLING]
            ),
            parties_consent=PartiesConsent.CONSENTED if step.name == Action.ACCEPT else "",
        )
