"""Issue #21: English remained in the admin ("TASKS DATABASE BACKEND", "Task Results",
"Deliverys"). Every app and model the admin lists must read in Chinese."""

from django.contrib import admin
from django.utils import translation


def _english(text: object) -> bool:
    value = str(text)
    return value.isascii() and any(c.isalpha() for c in value)


def test_every_admin_app_and_model_name_is_chinese():
    with translation.override("zh-hans"):
        offenders = [
            f"{model._meta.label}: {name}"
            for model in admin.site._registry
            for name in (
                model._meta.app_config.verbose_name,
                model._meta.verbose_name,
                model._meta.verbose_name_plural,
            )
            if _english(name)
        ]
    assert offenders == [], "\n".join(offenders)
