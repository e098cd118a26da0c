"""Periodic job of the feed (FENGQIAO_PERIODIC_TASKS): queue the subscribers' next batches."""

from django_tasks import task

from fengqiao.feed.services import subscriptions_dispatch


@task()
def dispatch_webhooks() -> int:
    return subscriptions_dispatch()
