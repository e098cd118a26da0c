"""Which reads the router sends to the replica (the real standby is exercised in
tests/test_replica.py): only opted-in reads, never identity rows, never inside a transaction."""

import pytest
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse

from fengqiao.accounts.models import Membership, User
from fengqiao.cases.models import Case
from fengqiao.core.replica import ReplicaRouter, reads_from_replica, replica_reads

router = ReplicaRouter()


def test_without_a_replica_every_read_is_the_default(settings):
    settings.FENGQIAO_READ_REPLICA = ""
    with replica_reads():
        assert router.db_for_read(Case) is None


def test_opted_in_reads_go_to_the_replica_and_identity_stays_on_the_primary(settings):
    settings.FENGQIAO_READ_REPLICA = "replica"
    assert router.db_for_read(Case) is None  # not opted in
    with replica_reads():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_read(Membership) == "default"
        assert router.db_for_read(User) == "default"
    assert router.db_for_write(Case) == "default"
    assert router.allow_migrate("replica", "cases") is False


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(settings):
    settings.FENGQIAO_READ_REPLICA = "replica"
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(Case) == "default"


def test_a_streamed_body_is_read_on_the_replica_after_the_view_returned(settings):
    settings.FENGQIAO_READ_REPLICA = "replica"
    seen: list[str | None] = []

    def chunks():
        for _ in range(2):
            seen.append(router.db_for_read(Case))
            yield b"x"

    @reads_from_replica
    def view(request):
        return StreamingHttpResponse(chunks())

    response = view(None)
    assert seen == []  # nothing read yet: the body streams later
    assert b"".join(response.streaming_content) == b"xx"
    assert seen == ["replica", "replica"]
    assert router.db_for_read(Case) is None


def test_a_plain_view_is_marked_only_while_it_runs(settings):
    settings.FENGQIAO_READ_REPLICA = "replica"
    inside: list[str | None] = []

    @reads_from_replica
    def view(request):
        inside.append(router.db_for_read(Case))
        return HttpResponse("ok")

    view(None)
    assert inside == ["replica"]
    assert router.db_for_read(Case) is None
