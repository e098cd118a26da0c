from io import StringIO

import pytest
from django.core.management import call_command

from fengqiao.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_report_lists_roles_and_each_grant_with_who_made_it(make_actor, tree):
    make_actor(Role.SECURITY_ADMIN, tree.county_centre, username="anquan")
    make_actor(Role.GRID_WORKER, tree.village_committee, username="wangge")
    out = StringIO()
    call_command("security_report", stdout=out)
    text = out.getvalue()
    current, grants = text.split("# 授权与账户安全变更")
    assert "anquan" in current
    assert "wangge" in current
    assert "grid_worker" in grants
    assert "wangge" in grants


def test_a_bad_date_is_a_chinese_error(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式"):
        call_command("security_report", "--from", "2026-13-01")
