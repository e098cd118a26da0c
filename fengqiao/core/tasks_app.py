"""django-tasks-db's app under a Chinese name in the admin (its own is "Tasks Database Backend",
issue #21); same name and label, so its tables and migrations are unchanged."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy, as Django allows
