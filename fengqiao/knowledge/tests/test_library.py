"""The shipped library and trees: every tree valid, every article a tree or case cites exists,
loading is idempotent and fast enough for the demo (one bulk insert)."""

import pytest

from fengqiao.accounts.services import system_actor
from fengqiao.cases.models import DisputeCategory
from fengqiao.knowledge.choices import EntryKind
from fengqiao.knowledge.library import articles, library_load
from fengqiao.knowledge.models import Entry
from fengqiao.knowledge.selectors import EntryFilters, entry_list_for
from fengqiao.selfhelp.definition import definition_errors
from fengqiao.selfhelp.library import shipped_trees, trees_load
from fengqiao.selfhelp.models import QuestionTree

pytestmark = pytest.mark.django_db

COMMON = {
    "neighbour",
    "marriage_family",
    "labour",
    "forest_land",
    "property_mgmt",
    "traffic",
    "medical",
}


def test_every_shipped_tree_is_valid_and_the_common_categories_have_one(tree):
    trees = shipped_trees()
    assert {t["category"] for t in trees} == COMMON
    for shipped in trees:
        assert definition_errors(shipped["definition"]) == [], shipped["category"]


def test_every_article_names_a_known_category(tree):
    known = set(DisputeCategory.objects.values_list("code", flat=True))
    assert {a.category for a in articles()} <= known


def test_loading_is_idempotent_and_every_cited_article_exists(tree, django_assert_max_num_queries):
    actor = system_actor()
    with django_assert_max_num_queries(20):
        added = library_load(actor=actor)
    assert added == Entry.objects.count() >= 200
    assert library_load(actor=actor) == 0
    codes = set(Entry.objects.values_list("code", flat=True))
    for shipped in shipped_trees():
        for node in shipped["definition"]["nodes"].values():
            missing = set(node.get("entries", [])) - codes
            assert not missing, (shipped["category"], missing)
    cases = Entry.objects.filter(kind=EntryKind.CASE)
    assert cases.count() >= 20
    assert all("法律依据" in c.body for c in cases)
    assert trees_load(actor=actor) == 7
    assert trees_load(actor=actor) == 0
    assert QuestionTree.objects.filter(is_active=True).count() == 7


def test_the_library_is_found_by_category_and_text(tree):
    library_load(actor=system_actor())
    wages = entry_list_for(
        actor=system_actor(), filters=EntryFilters(text="拖欠工资", category="labour")
    )
    assert wages.exists()
