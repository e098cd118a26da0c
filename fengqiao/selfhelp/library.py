"""The shipped question trees (``data/trees.json``) for the common categories: 邻里, 婚姻家庭,
劳动/欠薪, 土地, 物业, 交通, 医疗. A category that has a tree already keeps it (an editor may have
published newer versions)."""

import json
from pathlib import Path
from typing import Any

from fengqiao.accounts.models import User
from fengqiao.cases.models import DisputeCategory
from fengqiao.selfhelp.models import QuestionTree
from fengqiao.selfhelp.services import tree_publish

TREES = Path(__file__).resolve().parent / "data" / "trees.json"


def shipped_trees() -> list[dict[str, Any]]:
    return list(json.loads(TREES.read_text(encoding="utf-8")))


def trees_load(*, actor: User) -> int:
    """Publish the shipped tree of each category that has none; returns how many."""
    added = 0
    for tree in shipped_trees():
        category = DisputeCategory.objects.get(code=tree["category"])
        if not QuestionTree.objects.filter(category=category).exists():
            tree_publish(
                actor=actor,
                category=category,
                title=tree["title"],
                intro=tree.get("intro", ""),
                definition=tree["definition"],
            )
            added += 1
    return added
