"""Issue #21: classification on the demo's own words and the offices' words. 工程款拖欠 was filed
as 房屋宅基地纠纷, a two-party quarrel got 群体性风险 for "上访", a dog bite claimed 57,500 元."""

import random
from datetime import date

import pytest

from fengqiao.cases.categories import DEFAULT_CATEGORIES
from fengqiao.demo.loader import AMOUNTS, TEMPLATES
from fengqiao.demo.patrols import demo_texts
from fengqiao.intake import classify, classify_corpus, risk


def test_the_labelled_set_covers_every_category_with_a_held_out_part():
    rows = classify_corpus.labelled()
    assert len(rows) >= 500
    assert {c for _t, c in rows} == {code for code, _name, _subs in DEFAULT_CATEGORIES}
    train = {t for t, _c in classify_corpus.labelled("train")}
    held_out = {t for t, _c in classify_corpus.labelled("held_out")}
    assert train.isdisjoint(held_out)
    assert len(held_out) >= 100


def test_every_text_the_demo_files_is_classified_as_what_it_is():
    wrong = [
        (text[:30], category, s.category if s else None)
        for text, category in demo_texts()
        if (s := classify.suggest_with(text, None)) is None or s.category != category
    ]
    assert wrong == []


def test_the_lexicon_holds_up_on_the_held_out_descriptions():
    rows = classify_corpus.labelled("held_out")
    right = sum(
        (s := classify.suggest_with(text, None)) is not None and s.category == category
        for text, category in rows
    )
    assert right / len(rows) >= 0.85  # bench/classify_quality.py prints it per category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("务工人员反映工程款拖欠", "labour"),
        ("张伟路过李强家门口时被其饲养的狗咬伤小腿，花去医疗费800元", "damages"),
        ("张伟在镇卫生院输液后过敏，家属认为处置不当，要求赔偿医疗费", "medical"),
    ],
)
def test_words_that_used_to_mislead(text, category):
    suggestion = classify.suggest_with(text, None)
    assert suggestion is not None
    assert suggestion.category == category


def test_one_party_threatening_to_petition_is_not_a_crowd():
    quarrel = "张三与李四因宅基地边界发生争执，张三扬言要去上访。"
    assert "mass" not in {f.code for f in risk.assess_text(quarrel, 2, date(2026, 3, 1)).flags}
    crowd = "十几户村民准备联名上访"
    assert "mass" in {f.code for f in risk.assess_text(crowd, 2, date(2026, 3, 1)).flags}


def test_demo_amounts_fit_the_kind_of_dispute():
    assert AMOUNTS["personal_injury"][1] <= 10_000
    subs = {sub for items in TEMPLATES.values() for sub, *_rest in items}
    assert set(AMOUNTS) <= subs
    rng = random.Random(7)
    low, high = AMOUNTS["personal_injury"]
    assert all(low <= rng.randrange(low // 100, high // 100 + 1) * 100 <= high for _ in range(50))
