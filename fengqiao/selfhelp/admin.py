import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from fengqiao.accounts.models import User
from fengqiao.selfhelp.definition import definition_errors
from fengqiao.selfhelp.models import QuestionTree, SelfHelpRun
from fengqiao.selfhelp.services import tree_publish


class QuestionTreeForm(forms.ModelForm[QuestionTree]):
    class Meta:
        model = QuestionTree
        fields = ("category", "title", "intro", "definition", "is_active")

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        errors = definition_errors(definition)
        if errors:
            raise forms.ValidationError(errors)
        return definition


@admin.register(QuestionTree)
class QuestionTreeAdmin(admin.ModelAdmin[QuestionTree]):
    """Saving never edits a version citizens may have used: it publishes the next one."""

    form = QuestionTreeForm
    list_display = ("title", "category", "version", "is_active", "created_at")
    list_filter = ("is_active", "category")
    readonly_fields = ("version",)

    def save_model(self, request: HttpRequest, obj: QuestionTree, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)  # noqa: S101  the admin requires a signed-in user
        tree = tree_publish(
            actor=request.user,
            category=obj.category,
            title=obj.title,
            intro=obj.intro,
            definition=json.loads(json.dumps(obj.definition)),
        )
        obj.pk, obj.version = tree.pk, tree.version


@admin.register(SelfHelpRun)
class SelfHelpRunAdmin(admin.ModelAdmin[SelfHelpRun]):
    list_display = ("token", "tree", "status", "outcome_kind", "referral", "created_at")
    list_filter = ("status", "outcome_kind", "referral")
    readonly_fields = (
        "token",
        "tree",
        "node",
        "path",
        "status",
        "outcome_kind",
        "referral",
        "finished_at",
        "settled_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:  # runs are the citizens' own
        return False
