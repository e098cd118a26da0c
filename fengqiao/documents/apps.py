from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "fengqiao.documents"
    label = "documents"
    verbose_name = "文书"
