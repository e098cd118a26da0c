"""Pinyin order for people, units and places (#16: they sorted by code point, 张 before 李)."""

import pytest

from fengqiao.core.collation import pinyin_key
from fengqiao.mediation.selectors import roster_for
from fengqiao.orgs.models import Mediator


def test_names_sort_by_pinyin_not_code_point():
    names = ["张建国", "王秀英", "李明", "赵磊", "安然"]
    assert sorted(names) != sorted(names, key=pinyin_key)  # code point: 安 张 李 王 赵
    assert sorted(names, key=pinyin_key) == ["安然", "李明", "王秀英", "张建国", "赵磊"]


def test_homophones_and_latin_keep_a_stable_order():
    assert sorted(["刘一", "柳一", "A组"], key=pinyin_key) == ["A组", "刘一", "柳一"]


@pytest.mark.django_db
def test_the_roster_lists_mediators_in_pinyin_order(tree, township_clerk):
    for name in ("张调解", "李调解", "王调解"):
        Mediator.objects.create(name=name, kind="full_time", org=tree.township_centre)
    assert [m.name for m in roster_for(actor=township_clerk)] == ["李调解", "王调解", "张调解"]
