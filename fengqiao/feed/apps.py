from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "fengqiao.feed"
    label = "feed"
    verbose_name = "事件推送"
