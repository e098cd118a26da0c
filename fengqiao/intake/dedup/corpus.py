"""A labelled set of disputes with known duplicates across channels, for measuring 三源合一.

Each *dispute* (one real conflict) is reported one to three times, through different channels, by
different reporters, in other words (another template of its category), with the names sometimes
mistyped, the phone written another way, the ID number sometimes missing. Hard negatives are built
in: many disputes of the same category in the same village, families sharing a surname, and the
same person in two unrelated disputes. Places are the real divisions of 湘阴县 (430624).
"""

import csv
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from fengqiao.cases.choices import Channel, PartyRole

REGIONS_CSV = (
    Path(__file__).resolve().parents[2] / "regions" / "data" / "regions-430624-xiangyin.csv"
)

SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "建国军华明伟芳秀英兰桂花红梅丽敏静强磊洋勇艳杰涛斌超辉刚平波林海峰志春雪荣新玉凤"
    "霞云飞鹏宇浩亮成德福贵金银清水生根发明德胜利光富贤淑珍娥莲翠"
)
# A character and a look-alike or sound-alike, as clerks mistype them.
TYPOS = {
    "建": "健",
    "国": "囯",
    "军": "君",
    "华": "桦",
    "明": "铭",
    "伟": "玮",
    "芳": "方",
    "秀": "绣",
    "英": "瑛",
    "兰": "岚",
    "红": "宏",
    "梅": "玫",
    "丽": "莉",
    "敏": "珉",
    "静": "靜",
    "强": "疆",
    "磊": "垒",
    "洋": "阳",
    "勇": "永",
    "艳": "燕",
    "杰": "傑",
    "涛": "滔",
    "斌": "彬",
    "超": "朝",
    "辉": "晖",
    "刚": "钢",
    "平": "萍",
    "波": "博",
    "林": "霖",
    "海": "凯",
    "峰": "锋",
    "志": "智",
    "春": "椿",
    "雪": "雷",
    "荣": "蓉",
    "新": "鑫",
    "玉": "钰",
    "凤": "风",
    "霞": "遐",
    "云": "芸",
    "飞": "菲",
    "鹏": "朋",
    "宇": "雨",
    "浩": "皓",
    "亮": "良",
    "成": "诚",
    "德": "得",
    "福": "富",
    "贵": "桂",
    "金": "锦",
    "银": "寅",
    "清": "青",
    "水": "永",
    "生": "升",
    "根": "耕",
    "发": "法",
    "胜": "盛",
    "利": "立",
    "光": "广",
    "富": "福",
    "贤": "娴",
    "淑": "叔",
    "珍": "真",
    "娥": "蛾",
    "莲": "连",
    "翠": "萃",
    "花": "华",
    "桂": "贵",
}

# Per category: the facts a dispute draws, and several ways to tell it (paraphrases).
TEMPLATES: dict[str, list[str]] = {
    "housing_homestead": [
        "{a}与邻居{b}因宅基地界址发生争议，{a}称{b}建房时将{obj}向{dir}移了约{n}米，占用自家宅基地，要求拆除恢复原状。",
        "{v}村民{a}反映：邻居{b}新建房屋的{obj}越过界址{n}米左右，侵占其宅基地，双方多次争吵，请求调处。",
        "报警人{a}称其与{b}因建房占地起口角，{b}砌的{obj}往{dir}占了他家{n}米宅基地，现场双方情绪激动。",
        "{b}在{v}建房，{obj}超出原宅基地界线约{n}米，与{a}家产生界址纠纷，{a}要求按老界址重新划定。",
    ],
    "labour": [
        "{a}等{k}名工人在{b}承包的{site}务工，被拖欠工资{amt}元，已有{m}个月未发，多次讨要无果。",
        "来电人{a}反映：{b}欠其和工友共{k}人{m}个月工钱合计{amt}元，{site}完工后一直拖着不给。",
        "{a}诉称在{site}为{b}做工{m}个月，{b}尚欠劳务报酬{amt}元，请求督促支付。",
        "农民工{a}到{v}反映{b}拖欠{site}工人工资{amt}元，涉及{k}人，工人情绪较大。",
    ],
    "neighbour": [
        "{a}与{b}系邻居，{b}家{obj}的{issue}，影响{a}家正常生活，双方多次发生争吵。",
        "{v}{a}投诉隔壁{b}：{obj}{issue}，沟通多次不听，要求处理。",
        "报警称邻居{b}家{obj}{issue}，{a}上门理论时双方推搡，民警到场后劝离。",
        "{a}、{b}两家因{obj}{issue}的事闹矛盾，{a}希望村里出面调解。",
    ],
    "marriage_family": [
        "{a}与丈夫{b}结婚{n}年，因{issue}长期争吵，{a}提出离婚，双方对{obj}归属分歧大。",
        "{v}{a}反映与{b}夫妻感情不和，{issue}，要求调解离婚及{obj}分割问题。",
        "{a}来访称其夫{b}{issue}，婚后{n}年矛盾不断，现要求离婚并分割{obj}。",
        "{b}与妻子{a}因{issue}闹离婚，{obj}怎么分谈不拢，家里老人请求调解。",
    ],
    "damages": [
        "{a}驾驶{veh}在{road}与{b}的{veh2}相撞，{a}受伤住院，医疗费{amt}元，双方对赔偿有争议。",
        "交通事故：{road}{veh}与{veh2}发生碰撞，伤者{a}要求{b}赔偿医药费等{amt}元，{b}认为对方也有责任。",
        "{a}报警称被{b}的{veh2}撞伤，花去医疗费{amt}元，{b}只愿意赔一部分。",
        "{b}骑{veh2}经过{road}时与{a}的{veh}刮碰，{a}腿部骨折，索赔{amt}元，协商未果。",
    ],
    "medical": [
        "{a}之{rel}在{hosp}{proc}后出现{harm}，家属认为医院存在过错，要求赔偿{amt}元，{b}为主治医生。",
        "患者家属{a}反映{hosp}{proc}导致{rel}{harm}，多次到医院讨说法，要求赔偿{amt}元。",
        "{a}称{rel}在{hosp}接受{proc}出现{harm}，{b}医生处置不当，申请医疗纠纷调解，索赔{amt}元。",
        "{hosp}与患者{rel}家属{a}因{proc}后{harm}产生纠纷，家属索赔{amt}元，医院方{b}认为已尽义务。",
    ],
    "forest_land": [
        "{a}与{b}因{v}{place}的{n}亩承包地边界发生争议，{b}耕种时越界占用约{k}分地。",
        "{a}反映其承包的{place}责任田{n}亩被{b}强行耕种，{b}称该地已于多年前流转给自己。",
        "村民{a}、{b}对{place}{n}亩承包地的经营权归属各执一词，涉及土地流转费{amt}元。",
        "{b}占种{a}家在{place}的承包地约{k}分，双方因承包经营权发生纠纷，要求村里处理。",
    ],
    "contract": [
        "{a}借给{b}人民币{amt}元，约定{m}个月归还，到期后{b}以各种理由拖延不还。",
        "{a}反映{b}向其借款{amt}元并写有借条，{m}个月到期至今未还，多次催讨无果。",
        "民间借贷：{b}欠{a}借款{amt}元，约定期限{m}个月已过，{a}要求连本带息归还。",
        "{a}诉称{b}借了他{amt}元说{m}个月还，现在电话不接也不还钱，请求调解。",
    ],
}

SLOTS: dict[str, list[str]] = {
    "obj": ["院墙", "围墙", "厨房", "猪栏", "排水沟", "屋檐", "柴房", "化粪池"],
    "dir": ["东侧", "西侧", "南边", "北边"],
    "site": [
        "新农村安置房工地",
        "县城商品房项目",
        "镇中学扩建工程",
        "水利渠道工程",
        "砖厂",
        "养殖场",
    ],
    "issue_neighbour": [
        "空调外机噪音大",
        "污水横流",
        "狗夜里乱叫",
        "鸡鸭糟蹋菜地",
        "油烟直排",
        "树枝遮挡采光",
        "堆放杂物堵路",
    ],
    "obj_neighbour": ["空调", "排污管", "大狗", "鸡鸭", "厨房烟道", "大树", "杂物"],
    "issue_marriage": [
        "丈夫长期酗酒打牌",
        "婆媳关系紧张",
        "男方外出务工多年不顾家",
        "家庭暴力",
        "彩礼返还",
    ],
    "obj_marriage": ["房屋", "存款", "孩子抚养权", "宅基地房屋", "小货车"],
    "veh": ["电动车", "摩托车", "小轿车", "三轮车"],
    "veh2": ["小货车", "面包车", "摩托车", "农用车"],
    "road": ["S308省道", "村道", "镇街口", "湘阴大道", "乡道拐弯处"],
    "hosp": ["县人民医院", "县中医院", "镇卫生院", "县妇幼保健院"],
    "proc": ["阑尾切除手术", "剖腹产手术", "骨折内固定手术", "输液治疗", "胆囊手术"],
    "harm": ["感染", "大出血", "神经损伤", "死亡", "二次手术"],
    "rel": ["父亲", "母亲", "妻子", "儿子"],
    "place": ["塘坝边", "后山坡", "老屋场", "渠道边", "湖垸"],
}
SLOT_ALIASES = {
    "neighbour": {"issue": "issue_neighbour", "obj": "obj_neighbour"},
    "marriage_family": {"issue": "issue_marriage", "obj": "obj_marriage"},
}
# The category each template family is registered under (cases' category codes).
CATEGORY_CODE = {
    "housing_homestead": "housing_homestead",
    "labour": "labour",
    "neighbour": "neighbour",
    "marriage_family": "marriage_family",
    "damages": "traffic",
    "medical": "medical",
    "forest_land": "forest_land",
    "contract": "contract",
}
TITLES = {
    "housing_homestead": ["宅基地界址纠纷", "建房占地纠纷", "宅基地纠纷"],
    "labour": ["拖欠农民工工资", "讨薪纠纷", "劳务报酬纠纷"],
    "neighbour": ["邻里纠纷", "邻居矛盾", "相邻关系纠纷"],
    "marriage_family": ["婚姻家庭纠纷", "离婚纠纷", "夫妻矛盾"],
    "damages": ["交通事故赔偿纠纷", "道路交通事故", "人身损害赔偿"],
    "medical": ["医疗纠纷", "医患纠纷", "医疗损害赔偿"],
    "forest_land": ["土地承包纠纷", "承包地边界纠纷", "土地经营权纠纷"],
    "contract": ["民间借贷纠纷", "借款纠纷", "欠款不还"],
}
# Channels a report may arrive through; the first report of a dispute more often walks in.
CHANNELS = [
    Channel.POLICE_110,
    Channel.HOTLINE_12345,
    Channel.PETITION,
    Channel.COURT,
    Channel.ONLINE,
    Channel.WALK_IN,
    Channel.GRID,
]
# The category another channel may file the same dispute under.
OTHER_CATEGORY = {"damages": "damages", "neighbour": "other", "labour": "contract"}


@dataclass
class Person:
    name: str
    id_number: str
    phone: str
    village: str


@dataclass
class Report:
    """One registration of a dispute: what a channel sent."""

    dispute: int
    channel: str
    title: str
    description: str
    category: str
    region: str  # place code
    parties: list[dict[str, str]]
    created_at: datetime
    source_ref: str = ""


@dataclass
class LabelledSet:
    reports: list[Report] = field(default_factory=list)

    def true_pairs(self) -> set[tuple[int, int]]:
        """Index pairs (i < j) of reports of the same dispute."""
        groups: dict[int, list[int]] = defaultdict(list)
        for index, report in enumerate(self.reports):
            groups[report.dispute].append(index)
        return {(a, b) for ids in groups.values() for a in ids for b in ids if a < b}


def load_regions() -> tuple[list[tuple[str, str, str, str]], dict[str, list[tuple[str, str]]]]:
    """Rows of the 湘阴县 CSV, and the villages of each township (code, name)."""
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = [
            (r["code"], r["name"], r["level"], r["parent_code"]) for r in csv.DictReader(handle)
        ]
    villages: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name, level, parent in rows:
        if level == "village":
            villages[parent].append((code, name))
    return rows, dict(villages)


def _id_number(rng: random.Random, village: str) -> str:
    birth = f"{rng.randint(1950, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{village[:6]}{birth}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "177", "180", "186", "199"]) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def phone_variant(rng: random.Random, phone: str) -> str:
    """The same number as another channel writes it."""
    return rng.choice(
        [
            phone,
            f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}",
            f"{phone[:3]} {phone[3:7]} {phone[7:]}",
            f"0086{phone}",
            f"86-{phone}",
        ]
    )


def typo(rng: random.Random, name: str) -> str:
    positions = [i for i in range(1, len(name)) if name[i] in TYPOS]
    if not positions:
        return name
    i = rng.choice(positions)
    return name[:i] + TYPOS[name[i]] + name[i + 1 :]


class _People:
    """Residents of each village; families share surnames, so same names do occur."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_village: dict[str, list[Person]] = defaultdict(list)

    def new(self, village: str) -> Person:
        rng = self.rng
        surnames = SURNAMES[(int(village[-3:]) * 7) % 80 :][:6]  # a village's few big families
        surname = rng.choice(surnames) if rng.random() < 0.7 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2, 2])))
        person = Person(surname + given, _id_number(rng, village), _phone(rng), village)
        self.by_village[village].append(person)
        return person

    def pick(self, village: str) -> Person:
        known = self.by_village.get(village, [])
        if known and self.rng.random() < 0.12:  # the same person in another, unrelated dispute
            return self.rng.choice(known)
        return self.new(village)


def _facts(rng: random.Random, family: str, village_name: str) -> dict[str, str]:
    aliases = SLOT_ALIASES.get(family, {})
    facts = {key: rng.choice(values) for key, values in SLOTS.items()}
    for slot, source in aliases.items():
        facts[slot] = rng.choice(SLOTS[source])
    facts.update(
        v=village_name,
        n=str(rng.randint(1, 12)),
        k=str(rng.randint(2, 30)),
        m=str(rng.randint(2, 14)),
        amt=str(rng.randrange(3000, 300000, 100)),
    )
    return facts


def generate(disputes: int = 1500, *, seed: int = 20261123, start: datetime) -> LabelledSet:
    """``disputes`` conflicts over about 180 days; about 40% reported more than once, which
    gives well over ``disputes`` reports (1,500 → about 2,100)."""
    rng = random.Random(seed)  # noqa: S311  a reproducible test set, not a secret
    _rows, villages = load_regions()
    townships = sorted(villages)
    people = _People(rng)
    out = LabelledSet()
    families = list(TEMPLATES)
    counter = 0
    for dispute in range(disputes):
        township = rng.choice(townships[: max(3, len(townships) // 3)])  # busy townships
        village_code, village_name = rng.choice(villages[township][:6])  # and their busy villages
        family = rng.choice(families)
        a, b = people.pick(village_code), people.pick(village_code)
        if b.name == a.name:
            b = people.new(village_code)
        facts = _facts(rng, family, village_name)
        when = start + timedelta(days=rng.uniform(0, 180))
        copies = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        templates = rng.sample(TEMPLATES[family], k=copies)
        channels = rng.sample(CHANNELS, k=copies)
        for copy, (template, channel) in enumerate(zip(templates, channels, strict=True)):
            repeat = copy > 0
            reporter, other = (b, a) if repeat and rng.random() < 0.3 else (a, b)
            name_a = typo(rng, a.name) if repeat and rng.random() < 0.25 else a.name
            name_b = typo(rng, b.name) if repeat and rng.random() < 0.15 else b.name
            text = template.format(**facts, a=name_a, b=name_b)
            parties = []
            for person, shown in (
                (reporter, name_a if reporter is a else name_b),
                (other, name_b if other is b else name_a),
            ):
                is_reporter = person is reporter
                parties.append(
                    {
                        "role": PartyRole.APPLICANT if is_reporter else PartyRole.RESPONDENT,
                        "name": shown,
                        "id_number": person.id_number
                        if rng.random() < (0.55 if is_reporter else 0.25)
                        else "",
                        "phone": phone_variant(rng, person.phone)
                        if rng.random() < (0.7 if is_reporter else 0.3)
                        else "",
                        "region": person.village if rng.random() < 0.6 else "",
                    }
                )
            category = CATEGORY_CODE[family]
            if repeat and family in OTHER_CATEGORY and rng.random() < 0.15:
                category = OTHER_CATEGORY[family]  # another channel filed it differently
            place = village_code if not repeat or rng.random() < 0.8 else township
            counter += 1
            out.reports.append(
                Report(
                    dispute=dispute,
                    channel=channel,
                    title=rng.choice(TITLES[family]),
                    description=text,
                    category=category,
                    region=place,
                    parties=parties,
                    created_at=when + timedelta(days=rng.uniform(0, 20) if repeat else 0),
                    source_ref=f"DD{counter:07d}" if channel != Channel.WALK_IN else "",
                )
            )
    out.reports.sort(key=lambda r: r.created_at)
    return out


def evaluate(
    pairs: dict[tuple[int, int], float], truth: set[tuple[int, int]], thresholds: Iterable[float]
) -> list[tuple[float, float, float, int]]:
    """(threshold, precision, recall, predicted pairs) for each threshold."""
    rows = []
    for threshold in thresholds:
        predicted = {pair for pair, score in pairs.items() if score >= threshold}
        hits = len(predicted & truth)
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(truth) if truth else 1.0
        rows.append((threshold, precision, recall, len(predicted)))
    return rows
