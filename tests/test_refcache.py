"""Reference data from memory (``core.refcache``, issue #15): a change committed anywhere is seen
by every process on its next request, a change rolled back is seen by none, and every write path
of the cached tables (model saves, the bulk paths, the admin, the region import's raw SQL) bumps
the version in its own transaction.

"Another process" is this one with its memory put back as it was before the change: the
snapshots and the version they were built under, restored after the write cleared them."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership
from fengqiao.accounts.roles import Capability, Role
from fengqiao.accounts.services import system_actor
from fengqiao.cases import refdata
from fengqiao.cases.models import DisputeCategory
from fengqiao.core import refcache
from fengqiao.core.models import RefVersion
from fengqiao.regions.services import regions_import
from fengqiao.routing import router
from fengqiao.routing.models import RoutingRule

pytestmark = pytest.mark.django_db


def _version() -> int | None:
    return RefVersion.objects.filter(pk=refcache.ROW).values_list("version", flat=True).first()


@contextmanager
def another_process() -> Iterator[None]:
    """Run the block as a different web process would: whatever it clears here, this process's
    snapshots are back afterwards, built under the version they had."""
    memory = dict(refcache._snapshots), refcache._built_under[0]
    yield
    refcache._snapshots.clear()
    refcache._snapshots.update(memory[0])
    refcache._built_under[0] = memory[1]


def _name(code: str) -> str:
    found = refdata.categories().by_code.get(code)
    assert found is not None
    return found.name


def test_a_change_committed_by_another_process_is_seen_on_the_next_read(tree):
    assert _name("medical") == "医疗纠纷"
    with another_process():
        category = DisputeCategory.objects.get(code="medical")
        category.name = "医疗卫生纠纷"
        category.save()
    assert "cases.categories" in refcache._snapshots  # the stale copy is still in memory
    with refcache.request_scope():
        assert _name("medical") == "医疗卫生纠纷"


def test_a_write_that_passes_the_version_by_is_not_seen(tree):
    """The control of the test above: the read is served from memory, not from the table."""
    assert _name("medical") == "医疗纠纷"
    before = _version()
    with another_process():
        DisputeCategory.objects.filter(code="medical").update(name="医疗卫生纠纷")
        RefVersion.objects.filter(pk=refcache.ROW).update(version=before)  # the bump undone
    with CaptureQueriesContext(connection) as queries:
        assert _name("medical") == "医疗纠纷"
    assert len(queries) == 1  # the version, and nothing else


def test_a_rolled_back_change_does_not_bump_and_is_not_seen(tree):
    assert _name("medical") == "医疗纠纷"
    before = _version()
    with transaction.atomic():
        category = DisputeCategory.objects.get(code="medical")
        category.name = "医疗卫生纠纷"
        category.save()
        assert _version() != before
        assert _name("medical") == "医疗卫生纠纷"  # the writer sees its own change
        transaction.set_rollback(True)
    assert _version() == before
    assert _name("medical") == "医疗纠纷"


RENAMED_IN_THE_ADMIN = {"code": "medical", "name": "医疗卫生纠纷", "order": "12", "is_active": "on"}


def test_the_admin_edit_of_a_category_bumps(admin_client, tree):
    assert _name("medical") == "医疗纠纷"
    before = _version()
    category = DisputeCategory.objects.get(code="medical")
    with another_process():
        response = admin_client.post(
            f"/admin/cases/disputecategory/{category.pk}/change/", RENAMED_IN_THE_ADMIN
        )
        assert response.status_code == 302, response.content.decode()
    assert _version() != before
    with refcache.request_scope():
        assert _name("medical") == "医疗卫生纠纷"


@pytest.mark.parametrize(
    "write",
    [
        lambda: DisputeCategory.objects.filter(code="medical").update(order=99),
        lambda: DisputeCategory.objects.filter(code="ip").delete(),
        lambda: RoutingRule.objects.bulk_create(
            [RoutingRule(code="r1", name="规则", target="place_township")]
        ),
        lambda: Membership.objects.filter(is_active=True).update(is_active=False),
    ],
    ids=["update", "delete", "bulk_create", "memberships"],
)
def test_the_bulk_paths_bump(write, tree, village_mediator):
    before = _version()
    write()
    assert _version() != before


def test_the_region_import_bumps(tmp_path, tree):
    path = tmp_path / "r.csv"
    path.write_text(
        "code,name,level,parent_code\n430624122203,新河村,village,430624122000\n", encoding="utf-8"
    )
    before = _version()
    result = regions_import(actor=system_actor(), path=path)
    assert result.created == 1
    assert _version() != before


def test_a_revoked_membership_is_refused_on_the_next_request(tree, make_actor):
    mediator = make_actor(Role.MEDIATOR, tree.village_committee)
    prefix = tree.village.prefix
    assert access.can(mediator, Capability.CASE_VIEW, prefix=prefix)
    with another_process():
        membership = Membership.objects.get(user=mediator)
        membership.is_active = False
        membership.save()
    access.forget_grants(mediator)  # the next request loads its user afresh
    with refcache.request_scope():
        assert not access.can(mediator, Capability.CASE_VIEW, prefix=prefix)


def test_routing_rules_are_read_once_per_version(tree):
    first = router.active_rules()
    with CaptureQueriesContext(connection) as queries:
        assert router.active_rules() is first
    assert len(queries) == 1  # the version only (outside a request: once per read)


def test_a_request_reads_the_version_with_the_identity_and_nothing_more(client, township_clerk):
    client.force_login(township_clerk)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/").status_code == 200
    alone = [q["sql"] for q in queries if q["sql"].lstrip().startswith('SELECT "core_refversion"')]
    assert alone == []
    assert any("core_refversion" in q["sql"] for q in queries)  # carried by the user's row
