"""The labelled benchmark of dispute descriptions (``data/classify_situations.json``): eight
situations per category in the words registers and grid workers use, each framed the ways a case
arrives (walk-in, grid report, phone, written application). The first six situations of a category
are for training, the last two are held out, so a model is judged on sentences it never saw."""

import json
import random
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "classify_situations.json"
TRAIN_PER_CATEGORY = 6
FRAMES = (
    "{a}到镇矛调中心反映：{s}",
    "网格员上报：{s}",
    "{a}来电称，{s}",
    "{s}现申请调解，请求依法处理。",
)
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "建国秀英志强桂兰明德丽华国平卫东海燕红梅建华春生冬梅小军玉兰金凤德胜永红新民"


@cache
def situations() -> dict[str, list[str]]:
    raw = json.loads(PATH.read_text(encoding="utf-8"))
    return {code: list(texts) for code, texts in raw.items() if not code.startswith("_")}


def _name(rng: random.Random) -> str:
    given = rng.randrange(0, len(GIVEN), 2)
    return rng.choice(SURNAMES) + GIVEN[given : given + 2]


def labelled(part: str = "all", *, seed: int = 21) -> list[tuple[str, str]]:
    """(description, category) pairs of ``part``: "train", "held_out" or "all"."""
    rng = random.Random(seed)  # noqa: S311  names for a fixed data set, not secrets
    rows: list[tuple[str, str]] = []
    for category, texts in situations().items():
        for index, situation in enumerate(texts):
            held_out = index >= TRAIN_PER_CATEGORY
            if (part == "train" and held_out) or (part == "held_out" and not held_out):
                continue
            for frame in FRAMES:
                a, b = _name(rng), _name(rng)
                text = situation.format(a=a, b=b)
                rows.append((frame.format(a=a, s=text), category))
    return rows
